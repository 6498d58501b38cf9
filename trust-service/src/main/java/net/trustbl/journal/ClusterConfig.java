package net.trustbl.journal;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * Replicas of the central service on one database ({@code trustbl.cluster.*}). One instance holds
 * the journal's writer lock; the others are standbys that follow the journal, answer reads from
 * their own engine and DNS responder, forward writes to the writer and take over when it goes.
 */
@ConfigMapping(prefix = "trustbl.cluster")
public interface ClusterConfig {

    /**
     * When another instance already writes the database: follow it as a standby (true) or refuse to
     * start (false).
     */
    @WithDefault("true")
    boolean standby();

    /**
     * The URL other replicas forward writes to while this instance is the writer, e.g.
     * {@code http://10.1.2.3:8080} (in Kubernetes {@code http://$(POD_IP):8080}). Unset: standbys
     * answer writes with 503 and Retry-After.
     */
    Optional<String> advertiseUrl();

    /** How often a standby reads new journal events and tries to take the writer lock. */
    @WithDefault("200ms")
    Duration pollInterval();

    /** How long a forwarded write may take before the standby answers 504. */
    @WithDefault("30s")
    Duration forwardTimeout();
}
