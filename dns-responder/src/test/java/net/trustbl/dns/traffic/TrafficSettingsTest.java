package net.trustbl.dns.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class TrafficSettingsTest {

    private static TrafficSettings read(Map<String, String> keys) {
        return TrafficSettings.fromLookup(keys::get);
    }

    @Test
    void aNetworksShareIsASixtyFourthOfTheTableUnlessSet() {
        assertEquals(7_812, TrafficSettings.defaults().maxPairsPerNetwork());
        assertEquals(156, read(Map.of("trustbl.dns.traffic.max-pairs", "10000")).maxPairsPerNetwork());
        assertEquals(1, read(Map.of("trustbl.dns.traffic.max-pairs", "10")).maxPairsPerNetwork());
        assertEquals(2_000, read(Map.of("trustbl.dns.traffic.max-pairs-per-network", "2000")).maxPairsPerNetwork());
        assertEquals(10_000, read(Map.of("trustbl.dns.traffic.max-pairs", "10000",
                "trustbl.dns.traffic.max-pairs-per-network", "50000")).maxPairsPerNetwork(), "never above max-pairs");
        var bad = assertThrows(IllegalArgumentException.class,
                () -> read(Map.of("trustbl.dns.traffic.max-pairs-per-network", "lots")));
        assertTrue(bad.getMessage().contains("trustbl.dns.traffic.max-pairs-per-network"), bad.getMessage());
        var zero = assertThrows(IllegalArgumentException.class,
                () -> read(Map.of("trustbl.dns.traffic.max-pairs-per-network", "0")));
        assertTrue(zero.getMessage().contains("max-pairs-per-network must be 1.."), zero.getMessage());
    }
}
