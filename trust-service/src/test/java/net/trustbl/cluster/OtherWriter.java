package net.trustbl.cluster;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Test stand-in for another replica that writes the journal: with {@code test.other-writer=true}
 * it holds the writer lock before the journal starts, exactly as a running writer's database
 * session would, so this application comes up as a standby. {@link #die()} is the writer's death.
 */
@ApplicationScoped
public class OtherWriter {

    @ConfigProperty(name = "test.other-writer", defaultValue = "false")
    boolean enabled;

    @Inject
    DataSource dataSource;

    private Connection session;

    void onStart(@Observes @Priority(5) StartupEvent ev) throws SQLException {
        if (!enabled) {
            return;
        }
        session = dataSource.getConnection();
        try (Statement s = session.createStatement()) {
            s.execute("SELECT pg_advisory_lock(7370501)");
        }
    }

    /** The other writer's session ends (as when its process is killed): the lock is free. */
    public void die() throws SQLException {
        if (session != null) {
            session.close();
            session = null;
        }
    }
}
