package net.trustbl.db;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Stops the embedded PostgreSQL as the very last step of Quarkus' shutdown (after the journal
 * and the DNS responder have stopped), so a SIGTERM stops the whole service promptly and cleanly.
 */
@ApplicationScoped
public class EmbeddedDatabaseShutdown {

    void onStop(@Observes @Priority(Integer.MAX_VALUE) ShutdownEvent ev) {
        EmbeddedDatabaseLauncher.stopCurrent();
    }
}
