package net.trustbl;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import net.trustbl.configcheck.ServiceConfigKeys;
import net.trustbl.config.LaunchOptions;
import net.trustbl.config.UnknownKeys;
import net.trustbl.db.EmbeddedDatabaseLauncher;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Entry point. Refuses unknown {@code trustbl.*} keys first (a typo must not run on the default;
 * this replaces SmallRye's own check, which is off because the DNS keys are not a mapping). Starts the embedded PostgreSQL first when the operator configured no external
 * database, so a fresh checkout runs with one command; then hands over to Quarkus.
 */
@QuarkusMain
public final class TrustBlMain {

    static final String USAGE = """
            Usage: java [-Dtrustbl.KEY=VALUE ...] -jar trust-service/target/quarkus-app/quarkus-run.jar [OPTION]

            TrustBL central service: web, REST API, DNS responder. Settings are trustbl.* and
            quarkus.* keys given as -D options, environment variables (TRUSTBL_PUBLIC_URL, ...) or
            config/application.properties; every key is in the README's "Configuration". An unknown
            trustbl.* key stops start-up (exit status 2).

            Options:
              --help          print this text and exit
              --check-config  check every trustbl.* key and value, print the problems, exit
                              (0 when the configuration is valid, 2 when it is not)

            Without an option the service starts (embedded PostgreSQL unless QUARKUS_DATASOURCE_JDBC_URL is set).
            """;

    private TrustBlMain() {
    }

    public static void main(String... args) {
        LaunchOptions.handle(args, USAGE, () -> ServiceConfigKeys.problems(ConfigProvider.getConfig()));
        UnknownKeys.exitOnUnknown(ConfigProvider.getConfig(), "trustbl.", ServiceConfigKeys.known());
        EmbeddedDatabaseLauncher launcher = EmbeddedDatabaseLauncher.startIfNoExternalDatabase("trustbl.data-dir",
                "postgres", "trustbl");
        try {
            Quarkus.run(args);
        } finally {
            launcher.stop();
        }
    }
}
