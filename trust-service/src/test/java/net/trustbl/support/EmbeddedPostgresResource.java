package net.trustbl.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import net.trustbl.db.EmbeddedDatabase;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Starts a real, throw-away embedded PostgreSQL for a @QuarkusTest run. */
public class EmbeddedPostgresResource implements QuarkusTestResourceLifecycleManager {

    private EmbeddedDatabase db;

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createTempDirectory("trustbl-test-pg");
            db = EmbeddedDatabase.start(dir.resolve("pg"), "trustbl", 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Map.of(
                "quarkus.datasource.jdbc.url", db.jdbcUrl(),
                "quarkus.datasource.username", db.username(),
                "quarkus.datasource.password", db.password());
    }

    @Override
    public void stop() {
        if (db != null) {
            db.close();
        }
    }
}
