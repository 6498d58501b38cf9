package net.trustbl.engine;

import net.trustbl.address.IpBlock;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Anyone can look up random addresses, and every answered lookup gives the engine an entry: above
 * maxTrackedAddresses the engine forgets, once an hour, the addresses that only a few lookups named.
 */
class TrackedAddressesCapTest {

    static final long HOUR = EngineConfig.HOUR;
    static final long T0 = 1_800_000_000_000L / HOUR * HOUR;

    static void lookups(TrustEngine engine, int from, int n, long lookups, long at) {
        for (int i = 0; i < n; i++) {
            engine.apply(new EngineEvent.TrafficObserved(IpBlock.ofV4(0x2d000000 + from + i, 32), lookups, at), d -> { });
        }
    }

    @Test
    void aFloodOfOneLookupAddressesIsForgottenWithinTheHourAndBusyOnesStay() {
        TrustEngine engine = new TrustEngine(EngineConfig.defaults().withValue("maxTrackedAddresses", 1_000));
        lookups(engine, 0, 100, 500, T0);                    // busy senders
        lookups(engine, 1_000, 5_000, 1, T0 + 60_000);      // one host's random names, a minute later
        assertTrue(engine.trackedAddresses() > 5_000, "kept until the hour turns: " + engine.trackedAddresses());
        lookups(engine, 0, 1, 500, T0 + HOUR + 1);           // the next hour's first event
        assertEquals(100, engine.trackedAddresses(), "the busy ones stay (evidence keeps an address as in the weekly sweep)");
    }

    @Test
    void underTheCapNewSendersAreKeptAsBefore() {
        TrustEngine engine = new TrustEngine(EngineConfig.defaults().withValue("maxTrackedAddresses", 10_000));
        lookups(engine, 0, 5_000, 1, T0);
        lookups(engine, 0, 1, 1, T0 + 3 * HOUR);
        assertEquals(5_000, engine.trackedAddresses(), "a new sender is kept 36 hours");
    }

    @Test
    void theDefaultIsTwoMillionAndZeroTurnsItOff() {
        assertEquals(2_000_000, EngineConfig.defaults().maxTrackedAddresses());
        TrustEngine engine = new TrustEngine(EngineConfig.defaults().withValue("maxTrackedAddresses", 0));
        lookups(engine, 0, 3_000, 1, T0);
        lookups(engine, 0, 1, 1, T0 + 2 * HOUR);
        assertEquals(3_000, engine.trackedAddresses());
    }
}
