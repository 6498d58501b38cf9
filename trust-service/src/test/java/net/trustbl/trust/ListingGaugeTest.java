package net.trustbl.trust;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import net.trustbl.engine.EngineConfig;
import net.trustbl.engine.EngineEvent;
import net.trustbl.address.IpBlock;
import net.trustbl.engine.Listing;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The listings gauge is a cheap count: a scrape never builds the listing list. */
class ListingGaugeTest {

    @Test
    void theGaugeCountsWithoutBuildingTheListings() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TrustEngineHost host = new TrustEngineHost(EngineConfig.defaults(), registry) {
            @Override
            public List<Listing> listings() {
                throw new AssertionError("a scrape built the whole listing list");
            }
        };
        long t = 1_800_000_000_000L;
        host.apply(List.of(new EngineEvent.TrapHit(IpBlock.parse("45.1.2.3"), 1, t),
                new EngineEvent.TrapHit(IpBlock.parse("45.1.9.3"), 1, t)), d -> { });
        // a failing gauge function reads as NaN: the value proves the list was not built
        assertEquals(4.0, registry.get("trustbl.listings").gauge().value(), 1e-9, "2 listings + 2 RFC 5782 test points");
        assertEquals(4, host.listingCount());
    }
}
