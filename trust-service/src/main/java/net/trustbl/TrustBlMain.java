package net.trustbl;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import net.trustbl.db.EmbeddedDatabaseLauncher;

/**
 * Entry point. Starts the embedded PostgreSQL first when the operator configured no external
 * database, so a fresh checkout runs with one command; then hands over to Quarkus.
 */
@QuarkusMain
public final class TrustBlMain {

    private TrustBlMain() {
    }

    public static void main(String... args) {
        EmbeddedDatabaseLauncher launcher = EmbeddedDatabaseLauncher.startIfNoExternalDatabase("trustbl.data-dir",
                "postgres", "trustbl");
        try {
            Quarkus.run(args);
        } finally {
            launcher.stop();
        }
    }
}
