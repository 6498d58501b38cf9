package net.trustbl.health;

import io.smallrye.health.api.HealthGroup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

import javax.sql.DataSource;
import java.sql.Connection;

/**
 * Whether PostgreSQL answers, for dashboards and operators ({@code /q/health/group/database}).
 * Deliberately not a readiness check: while the database is down the service still serves
 * lookups from memory and answers writes with 503 + Retry-After, which it cannot do once
 * Kubernetes has taken it out of the Service.
 */
@HealthGroup("database")
@ApplicationScoped
public class DatabaseHealth implements HealthCheck {

    @Inject
    DataSource dataSource;

    @Override
    public HealthCheckResponse call() {
        try (Connection c = dataSource.getConnection()) {
            return HealthCheckResponse.named("database").status(c.isValid(2)).build();
        } catch (Exception e) {
            return HealthCheckResponse.named("database").down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
