package net.trustbl.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import net.trustbl.journal.EventJournal;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness and liveness that do not depend on the database. Ready means the engine has been
 * rebuilt from the journal: from then on lookups (REST and DNS) answer from memory, and writes
 * answer 202 or, while the database is down, 503 with Retry-After. A pod must stay in the
 * Service during a database outage, so the database is not part of readiness (it is reported in
 * the {@code database} group, {@code /q/health/group/database}).
 */
public final class JournalHealth {

    private JournalHealth() {
    }

    @Readiness
    @ApplicationScoped
    public static class Ready implements HealthCheck {

        @Inject
        EventJournal journal;

        @Override
        public HealthCheckResponse call() {
            return HealthCheckResponse.named("journal").status(journal.ready())
                    .withData("engine", journal.ready() ? "rebuilt from the journal" : "replaying the journal")
                    .build();
        }
    }

    @Liveness
    @ApplicationScoped
    public static class Live implements HealthCheck {

        @Inject
        EventJournal journal;

        /** Down only when the journal's writer (or a standby's follower) thread died after start: a restart is the cure. */
        @Override
        public HealthCheckResponse call() {
            boolean up = !journal.ready() || journal.writerAlive();
            return HealthCheckResponse.named("journal-writer").status(up).build();
        }
    }
}
