package net.trustbl.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnknownKeysTest {

    @ConfigMapping(prefix = "app")
    interface AppConfig {
        @WithDefault("1")
        int ratePerSecond();

        Optional<String> name();

        Map<String, Policy> policies();

        List<Rule> rules();

        interface Policy {
            List<String> recipients();
        }

        interface Rule {
            String pattern();
        }
    }

    private final KnownKeys known = KnownKeys.fromMappings(AppConfig.class).add(List.of("app.extra"));

    @Test
    void aMisspelledKeyIsNamedWithTheNearestKnownKey() {
        assertEquals(List.of("unknown configuration key app.rate-per-secnd (did you mean app.rate-per-second?)"),
                UnknownKeys.problems(List.of("app.rate-per-secnd", "app.rate-per-second"), "app.", known));
    }

    @Test
    void aKeyFarFromEveryKnownKeyGetsNoSuggestion() {
        assertEquals(List.of("unknown configuration key app.completely-different-thing (no similar key exists)"),
                UnknownKeys.problems(List.of("app.completely-different-thing"), "app.", known));
    }

    @Test
    void mapKeysListIndicesAndExtraKeysAreKnown() {
        assertTrue(known.knows("app.policies.strict.recipients"));
        assertTrue(known.knows("app.policies.\"a.b\".recipients[3]"));
        assertTrue(known.knows("app.rules[0].pattern"));
        assertTrue(known.knows("app.extra"));
        assertFalse(known.knows("app.rules[0].patern"));
        assertFalse(known.knows("app.policies.strict"));
    }

    @Test
    void environmentVariablesOfDashedKeysAreKnown() {
        // APP_RATE_PER_SECOND reaches the check as app.rate.per.second
        assertTrue(known.knows("app.rate.per.second"));
        assertFalse(known.knows("app.rate.per.secnd"));
    }

    @Test
    void keysOutsideThePrefixAreNotChecked() {
        assertTrue(UnknownKeys.problems(List.of("quarkus.http.port", "other.key"), "app.", known).isEmpty());
    }

    @Test
    void distanceCountsSingleCharacterEdits() {
        assertEquals(0, KnownKeys.distance("abc", "abc"));
        assertEquals(1, KnownKeys.distance("secnd", "second"));
        assertEquals(3, KnownKeys.distance("kitten", "sitting"));
    }
}
