package net.trustbl.common;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * Request time buckets for {@code http_server_requests_seconds} so that dashboards can show the
 * p99 of report posts ({@code histogram_quantile} over {@code _bucket}). A few fixed buckets
 * around the goal (50 ms), not Micrometer's ~70 default ones per uri, method and status.
 */
public class HttpHistograms {

    @Produces
    @Singleton
    public MeterFilter httpServerBuckets() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!"http.server.requests".equals(id.getName())) {
                    return config;
                }
                return DistributionStatisticConfig.builder()
                        .serviceLevelObjectives(millis(5), millis(10), millis(25), millis(50), millis(100), millis(250),
                                millis(500), millis(1000), millis(2500), millis(5000))
                        .build().merge(config);
            }
        };
    }

    private static double millis(long ms) {
        return Duration.ofMillis(ms).toNanos();
    }
}
