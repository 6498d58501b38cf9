package net.trustbl.trust;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import net.trustbl.address.IpBlock;
import net.trustbl.engine.Decision;
import net.trustbl.engine.EngineConfig;
import net.trustbl.engine.EngineEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A standby applies pages the writer already stored: one event that throws must not stop the page
 * half way (the next poll would apply its first events twice, and throw again for ever).
 */
class StandbyApplyTest {

    private static final long T = 1_800_000_000_000L;

    private static List<EngineEvent> twoTrapHits() {
        return List.of(new EngineEvent.TrapHit(IpBlock.parse("45.1.2.3"), 1, T),
                new EngineEvent.TrapHit(IpBlock.parse("45.1.9.3"), 1, T));
    }

    /** Throws on the first listing it is told of, as an engine that cannot apply an event would. */
    private static java.util.function.Consumer<Decision> failingOnFirstListing(List<Decision> seen) {
        return d -> {
            if (d instanceof Decision.ListingChanged && seen.stream().noneMatch(x -> x instanceof Decision.ListingChanged)) {
                seen.add(d);
                throw new IllegalStateException("cannot apply");
            }
            seen.add(d);
        };
    }

    @Test
    void anEventThatThrowsIsSkippedAndTheRestOfThePageIsApplied() {
        TrustEngineHost host = new TrustEngineHost(EngineConfig.defaults(), new SimpleMeterRegistry());
        List<Decision> seen = new ArrayList<>();
        List<EngineEvent> skipped = new ArrayList<>();
        host.applyStored(twoTrapHits(), failingOnFirstListing(seen), (e, ex) -> skipped.add(e));
        assertEquals(1, skipped.size(), "the one event that threw");
        assertEquals(IpBlock.parse("45.1.2.3"), ((EngineEvent.TrapHit) skipped.get(0)).ip());
        assertEquals(4, host.listingCount(), "the second address is listed too (2 listings + 2 test points)");
    }

    @Test
    void theWritersApplyStillStopsAtTheFirstFailure() {
        // the writer must not skip: its batch fails and the engine is rebuilt from what was stored
        TrustEngineHost host = new TrustEngineHost(EngineConfig.defaults(), new SimpleMeterRegistry());
        List<Decision> seen = new ArrayList<>();
        assertThrows(IllegalStateException.class, () -> host.apply(twoTrapHits(), failingOnFirstListing(seen)));
        assertEquals(3, host.listingCount(), "the second event was never applied");
    }
}
