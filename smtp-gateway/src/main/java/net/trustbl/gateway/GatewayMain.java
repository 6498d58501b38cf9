package net.trustbl.gateway;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import net.trustbl.db.EmbeddedDatabase;
import org.eclipse.microprofile.config.ConfigProvider;

import java.nio.file.Path;

/**
 * Entry point of the gateway. Without an external database (neither QUARKUS_DATASOURCE_JDBC_URL
 * nor -Dquarkus.datasource.jdbc.url) it starts the embedded PostgreSQL in
 * {@code <gateway.data-dir>/gateway-postgres} first, so one command runs a complete gateway.
 */
@QuarkusMain
public final class GatewayMain {

    private GatewayMain() {
    }

    public static void main(String... args) {
        EmbeddedDatabase db = null;
        boolean external = System.getenv("QUARKUS_DATASOURCE_JDBC_URL") != null
                || System.getProperty("quarkus.datasource.jdbc.url") != null;
        if (!external) {
            String dataDir = System.getProperty("gateway.data-dir",
                    System.getenv().getOrDefault("GATEWAY_DATA_DIR", dataDirFromConfig()));
            db = EmbeddedDatabase.start(Path.of(dataDir, "gateway-postgres"), "gateway", 0);
            System.setProperty("quarkus.datasource.jdbc.url", db.jdbcUrl());
            System.setProperty("quarkus.datasource.username", db.username());
            System.setProperty("quarkus.datasource.password", db.password());
        }
        try {
            Quarkus.run(args);
        } finally {
            if (db != null) {
                db.close();
            }
        }
    }

    private static String dataDirFromConfig() {
        try {
            return ConfigProvider.getConfig().getOptionalValue("gateway.data-dir", String.class).orElse("data");
        } catch (RuntimeException e) {
            return "data";
        }
    }
}
