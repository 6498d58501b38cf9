package net.trustbl.gateway.stats;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Verdict counters: Prometheus, totals and the per-minute series agree, per filter and verdict. */
class GatewayStatsTest {

    @Test
    void verdictsAreCountedPerFilterAndVerdictEverywhere() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        GatewayStats stats = new GatewayStats(registry);
        stats.verdict("dnsbl", "reject");
        stats.verdict("dnsbl", "reject");
        stats.verdict("dnsbl", "continue");
        stats.verdict("sanity", "reject");
        stats.dnsblHit("bl.example");
        assertEquals(Map.of("dnsbl/reject", 2L, "dnsbl/continue", 1L, "sanity/reject", 1L, "dnsbl-hit/bl.example", 1L),
                stats.totals());
        assertEquals(2.0, registry.get("gateway.verdicts").tag("filter", "dnsbl").tag("verdict", "reject").counter().count());
        Map<String, long[]> series = stats.verdictsPerMinute();
        long[] rejects = series.get("dnsbl/reject");
        assertEquals(2, rejects[rejects.length - 1], "this minute's slot holds both");
        assertEquals(1, series.get("sanity/reject")[rejects.length - 1]);
    }
}
