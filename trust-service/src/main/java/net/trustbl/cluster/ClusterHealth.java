package net.trustbl.cluster;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import net.trustbl.journal.ClusterConfig;
import net.trustbl.journal.EventJournal;
import net.trustbl.journal.WriterDirectory;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * This replica's part in the cluster, on {@code /q/health}: {@code writer} or {@code standby}, and
 * where writes go. A standby is ready: it answers reads from its own engine and forwards writes.
 */
@Readiness
@ApplicationScoped
public class ClusterHealth implements HealthCheck {

    @Inject
    EventJournal journal;

    @Inject
    WriterDirectory directory;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("journal-role")
                .status(journal.ready())
                .withData("role", journal.isWriter() ? "writer" : "standby")
                .withData("writer", directory.writerUrl().orElse("unknown"))
                .build();
    }
}
