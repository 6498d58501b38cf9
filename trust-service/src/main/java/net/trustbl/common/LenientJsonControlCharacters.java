package net.trustbl.common;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Lets the JSON parser read a raw (unescaped) control character inside a string instead of
 * failing the whole body with 400: {@link ControlCharacterReader} then refuses it with 422 naming
 * the field, exactly as when it was escaped ({@code \u0000}), so a client learns which field to fix.
 */
@Singleton
public class LenientJsonControlCharacters implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS.mappedFeature());
    }
}
