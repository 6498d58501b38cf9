package net.trustbl.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/**
 * Applies {@link ControlCharacters} to every string of every JSON body once it is parsed, whatever
 * the resource reads it as (a tree or a record), so that a new endpoint is covered without doing
 * anything. Strings are named by their property ({@code note}; {@code hosts[2]} inside an array);
 * when the body is an array (a batch), the problem carries the item's index.
 */
@Provider
public class ControlCharacterReader implements ReaderInterceptor {

    @Inject
    ObjectMapper json;

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        Object body = context.proceed();
        MediaType type = context.getMediaType();
        if (body == null || type == null || !type.getSubtype().endsWith("json") || body instanceof byte[]
                || body instanceof String) {
            return body;
        }
        JsonNode tree = body instanceof JsonNode n ? n : json.valueToTree(body);
        if (tree.isArray()) {
            for (int i = 0; i < tree.size(); i++) {
                check(tree.get(i), null, i);
            }
        } else {
            check(tree, null, null);
        }
        return body;
    }

    private static void check(JsonNode node, String name, Integer index) {
        if (node.isTextual()) {
            int c = ControlCharacters.firstForbidden(name == null ? "" : name, node.textValue());
            if (c >= 0) {
                throw ControlCharacters.violation(name == null ? "body" : name, c, index);
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                check(f.getValue(), f.getKey(), index);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                check(node.get(i), (name == null ? "" : name) + "[" + i + "]", index);
            }
        }
    }
}
