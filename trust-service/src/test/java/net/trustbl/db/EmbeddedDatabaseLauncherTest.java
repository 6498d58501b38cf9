package net.trustbl.db;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The launcher must see a JDBC URL wherever Quarkus would read it, not only in the environment. */
class EmbeddedDatabaseLauncherTest {

    private static Config config(Map<String, String> props, String sourceName) {
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(props, sourceName, 260)).build();
    }

    @Test
    void aUrlInAConfigFileMeansAnExternalDatabase() {
        Config file = config(Map.of("quarkus.datasource.jdbc.url", "jdbc:postgresql://db.example:5432/trustbl"),
                "config/application.properties");
        assertTrue(EmbeddedDatabaseLauncher.externalDatabaseConfigured(null, null, file));
    }

    @Test
    void theEnvironmentAndSystemPropertiesStillCount() {
        Config empty = config(Map.of(), "none");
        assertTrue(EmbeddedDatabaseLauncher.externalDatabaseConfigured("jdbc:postgresql://db/x", null, empty));
        assertTrue(EmbeddedDatabaseLauncher.externalDatabaseConfigured(null, "jdbc:postgresql://db/x", empty));
    }

    @Test
    void noUrlOrABlankOneMeansEmbedded() {
        assertFalse(EmbeddedDatabaseLauncher.externalDatabaseConfigured(null, null, config(Map.of(), "none")));
        assertFalse(EmbeddedDatabaseLauncher.externalDatabaseConfigured(" ", "", config(
                Map.of("quarkus.datasource.jdbc.url", " "), ".env")));
        assertFalse(EmbeddedDatabaseLauncher.externalDatabaseConfigured(null, null, null));
    }

    @Test
    void theShippedApplicationPropertiesHaveNoUrlDefault() throws Exception {
        java.util.Properties p = new java.util.Properties();
        try (var in = getClass().getClassLoader().getResourceAsStream("application.properties")) {
            p.load(in);
        }
        for (String key : p.stringPropertyNames()) {
            if (key.endsWith("quarkus.datasource.jdbc.url") && !key.startsWith("%test.")) {
                throw new AssertionError("a default JDBC URL would always disable the embedded database: " + key);
            }
        }
    }
}
