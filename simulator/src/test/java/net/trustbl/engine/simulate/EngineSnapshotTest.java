package net.trustbl.engine.simulate;

import net.trustbl.engine.EngineConfig;
import net.trustbl.engine.EngineEvent;
import net.trustbl.engine.EngineSnapshot;
import net.trustbl.address.IpBlock;
import net.trustbl.engine.TrustEngine;
import net.trustbl.engine.Listing;
import net.trustbl.engine.MemberTrust;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A snapshot plus the events after it gives the same engine as a replay of every event: the
 * same decisions from then on, the same listings, explanations and member trust at the end.
 * The streams are the simulator's (sign-ups, careless and malicious reporters, traps, lookups,
 * weeks of them, so sweeps, strikes and expiries all happen on both sides of the cut).
 */
class EngineSnapshotTest {

    @ParameterizedTest
    @ValueSource(strings = {"baseline", "pile-on"})
    void snapshotAndTailReplayEqualsFullReplay(String scenario) throws IOException {
        EngineEvent[] events = new StreamGenerator(ScenarioLoader.load(scenario)).generate().events;
        EngineConfig config = EngineConfig.defaults();
        for (double cutShare : new double[] {0.3, 0.71}) {
            int cut = (int) (events.length * cutShare);
            TrustEngine full = new TrustEngine(config);
            TrustEngine before = new TrustEngine(config);
            for (int i = 0; i < cut; i++) {
                full.apply(events[i], d -> { });
                before.apply(events[i], d -> { });
            }
            TrustEngine restored = roundTrip(before);
            List<String> fromFull = new ArrayList<>();
            List<String> fromRestored = new ArrayList<>();
            for (int i = cut; i < events.length; i++) {
                full.apply(events[i], d -> fromFull.add(d.toString()));
                restored.apply(events[i], d -> fromRestored.add(d.toString()));
            }
            assertTrue(fromFull.size() > 100, "the tail decides things: " + fromFull.size());
            assertEquals(fromFull, fromRestored, scenario + " cut at " + cut);
            assertEquals(full.listings().toString(), restored.listings().toString());
            long end = events[events.length - 1].atMillis();
            Set<Long> members = new HashSet<>();
            Set<IpBlock> addresses = new HashSet<>();
            for (EngineEvent e : events) {
                if (e instanceof EngineEvent.ReportFiled r) {
                    members.add(r.memberId());
                    addresses.add(r.target());
                }
            }
            for (long m : members) {
                assertEquals(String.valueOf(full.member(m)), String.valueOf(restored.member(m)));
            }
            for (IpBlock ip : addresses) {
                assertEquals(full.explain(ip, end).toString(), restored.explain(ip, end).toString());
            }
            // and a snapshot of a restored engine restores again
            List<String> again = new ArrayList<>();
            roundTrip(restored).apply(new EngineEvent.Tick(end + 30 * EngineConfig.DAY), d -> again.add(d.toString()));
            List<String> expected = new ArrayList<>();
            full.apply(new EngineEvent.Tick(end + 30 * EngineConfig.DAY), d -> expected.add(d.toString()));
            assertEquals(expected, again);
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {2.5})
    void aSnapshotMadeUnderOtherRulesKeepsItsStateAndTheNewRulesApply(double otherThreshold) throws IOException {
        // after pruning, refusing the snapshot would forget every member's earned trust
        TrustEngine engine = new TrustEngine(EngineConfig.defaults());
        engine.apply(new EngineEvent.MemberJoined(1, 1_000), d -> { });
        engine.apply(new EngineEvent.TrustPinned(1, 0.7, 2_000), d -> { });
        byte[] bytes = bytes(engine);
        EngineConfig other = EngineConfig.defaults().withListThreshold(otherThreshold);
        TrustEngine restored = EngineSnapshot.read(other, new ByteArrayInputStream(bytes));
        assertEquals(0.7, restored.member(1).trust(), 1e-9);
        assertEquals(otherThreshold, restored.config().listThreshold(), 1e-9);
    }

    /**
     * A format-2 snapshot (written by the service before format 3, at 15 % of the baseline stream)
     * is still restored: listings, return codes and members' trust as that service had them.
     */
    @Test
    void aFormat2SnapshotOfAnEarlierServiceIsStillRestored() throws IOException {
        TrustEngine restored;
        try (InputStream in = new GZIPInputStream(resource("format2-baseline.bin.gz"))) {
            restored = EngineSnapshot.read(EngineConfig.defaults(), in);
        }
        List<String> expected;
        try (InputStream in = resource("format2-baseline.txt")) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        List<String> actual = new ArrayList<>();
        actual.add("events " + restored.eventsApplied() + " now " + restored.nowMillis() + " tracked " + restored.trackedAddresses());
        for (Listing l : restored.listings()) {
            actual.add("listed " + l.ip() + " " + l.returnCode());
        }
        for (String line : expected) {
            if (line.startsWith("member ")) {
                MemberTrust t = restored.member(Long.parseLong(line.split(" ")[1]));
                actual.add("member " + t.memberId() + " " + t.trust() + " " + t.strikes());
            }
        }
        assertTrue(expected.size() > 600, "the fixture lists hundreds of listings and members");
        assertEquals(expected, actual);
        // format 2 had no rule sections: trusted senders and exclusions start empty, derived again from new events
        assertTrue(restored.trustedSenders().isEmpty());
        assertTrue(restored.exclusions().isEmpty());
        // and it restores into format 3 as it is
        assertEquals(restored.listings().toString(), roundTrip(restored).listings().toString());
    }

    @Test
    void aDamagedSnapshotIsRefusedNotRestored() throws IOException {
        EngineEvent[] events = new StreamGenerator(ScenarioLoader.load("baseline")).generate().events;
        TrustEngine engine = new TrustEngine(EngineConfig.defaults());
        for (int i = 0; i < events.length / 10; i++) {
            engine.apply(events[i], d -> { });
        }
        byte[] bytes = bytes(engine);
        byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 3);
        assertThrows(IOException.class, () -> EngineSnapshot.read(EngineConfig.defaults(), new ByteArrayInputStream(cut)));
        byte[] other = bytes.clone();
        other[7] = 9; // format 9
        IOException e = assertThrows(IOException.class,
                () -> EngineSnapshot.read(EngineConfig.defaults(), new ByteArrayInputStream(other)));
        assertTrue(e.getMessage().contains("format 9"), e.getMessage());
    }

    private static InputStream resource(String name) {
        InputStream in = EngineSnapshotTest.class.getResourceAsStream("/snapshots/" + name);
        assertNotNull(in, name);
        return in;
    }

    private static TrustEngine roundTrip(TrustEngine engine) throws IOException {
        return EngineSnapshot.read(engine.config(), new ByteArrayInputStream(bytes(engine)));
    }

    private static byte[] bytes(TrustEngine engine) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        EngineSnapshot.write(engine, buffer);
        return buffer.toByteArray();
    }
}
