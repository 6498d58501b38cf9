package net.trustbl.gateway;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import net.trustbl.config.ConfigProblems;
import net.trustbl.config.KnownKeys;
import net.trustbl.config.LaunchOptions;
import net.trustbl.config.UnknownKeys;
import net.trustbl.db.EmbeddedDatabase;
import net.trustbl.gateway.config.GatewayConfig;
import org.eclipse.microprofile.config.ConfigProvider;

import java.nio.file.Path;
import java.util.List;

/**
 * Entry point of the gateway. Without an external database (no quarkus.datasource.jdbc.url in
 * any config source: QUARKUS_DATASOURCE_JDBC_URL, -D, .env, config/application.properties) it starts the embedded PostgreSQL in
 * {@code <gateway.data-dir>/gateway-postgres} first, so one command runs a complete gateway.
 */
@QuarkusMain
public final class GatewayMain {

    static final String USAGE = """
            Usage: java [-Dgateway.KEY=VALUE ...] -jar smtp-gateway/target/quarkus-app/quarkus-run.jar [OPTION]

            TrustBL SMTP gateway: a before-queue SMTP proxy (gateway.mode=proxy) or the mailbox for
            forwarded spam reports (gateway.mode=intake). Settings are gateway.* keys given as -D
            options, environment variables (GATEWAY_LISTEN, ...) or config/application.properties;
            every key is in docs/gateway.md. An unknown gateway.* key stops start-up (exit status 2).

            Options:
              --help          print this text and exit
              --check-config  check every gateway.* key and value, print the problems, exit
                              (0 when the configuration is valid, 2 when it is not)

            Without an option the gateway starts (console and /q/* on quarkus.http.port, 8025).
            """;

    private GatewayMain() {
    }

    public static void main(String... args) {
        KnownKeys known = KnownKeys.fromMappings(GatewayConfig.class);
        LaunchOptions.handle(args, USAGE,
                () -> ConfigProblems.of(ConfigProvider.getConfig(), "gateway.", known, List.of(GatewayConfig.class)));
        // SmallRye refuses unknown gateway.* keys too, but later and without naming the key meant
        UnknownKeys.exitOnUnknown(ConfigProvider.getConfig(), "gateway.", known);
        EmbeddedDatabase db = null;
        boolean external = externalDatabaseConfigured();
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

    /**
     * A JDBC URL from anywhere Quarkus reads configuration (environment, system property,
     * {@code .env}, {@code config/application.properties}…) means an external database. The
     * gateway's own application.properties has no URL, so no default makes one look present.
     */
    static boolean externalDatabaseConfigured() {
        if (notBlank(System.getenv("QUARKUS_DATASOURCE_JDBC_URL")) || notBlank(System.getProperty("quarkus.datasource.jdbc.url"))) {
            return true;
        }
        try {
            return notBlank(ConfigProvider.getConfig().getOptionalValue("quarkus.datasource.jdbc.url", String.class).orElse(null));
        } catch (RuntimeException e) {
            return false; // no config or an unresolvable expression: Quarkus reports it itself
        }
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    private static String dataDirFromConfig() {
        try {
            return ConfigProvider.getConfig().getOptionalValue("gateway.data-dir", String.class).orElse(GatewayConfig.DEFAULT_DATA_DIR);
        } catch (RuntimeException e) {
            return GatewayConfig.DEFAULT_DATA_DIR;
        }
    }
}
