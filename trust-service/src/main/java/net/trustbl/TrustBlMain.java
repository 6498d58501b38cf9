package net.trustbl;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import net.trustbl.common.ServiceConfigKeys;
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

    private TrustBlMain() {
    }

    public static void main(String... args) {
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
