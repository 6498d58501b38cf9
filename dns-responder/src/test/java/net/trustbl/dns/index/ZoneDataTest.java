package net.trustbl.dns.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class ZoneDataTest {

    private static int v4(String s) {
        return (int) Ip.parseV4(s);
    }

    private static int code(ZoneData d, String ip) {
        return d.snapshot().codeV4(v4(ip), null);
    }

    private static int code6(ZoneData d, String ip, CompiledView view) {
        long[] a = Ip.parseV6(ip);
        return d.snapshot().codeV6(a[0], a[1], view);
    }

    @Test
    void longestPrefixWinsAndExclusionsPunchHoles() {
        ZoneData d = new ZoneData();
        d.replaceAll(10, List.of(
                new ListingRecord("198.51.100.0/24", 3, 1f),
                new ListingRecord("198.51.0.0/16", 5, 1f),
                new ListingRecord("198.51.100.7", -1, 0f),
                new ListingRecord("192.0.2.1", 2, 1f)));
        assertEquals(3, code(d, "198.51.100.9"));
        assertEquals(5, code(d, "198.51.7.9"));
        assertEquals(0, code(d, "198.51.100.7"));
        assertEquals(2, code(d, "192.0.2.1"));
        assertEquals(0, code(d, "192.0.2.2"));
        assertEquals(10, d.serial());
    }

    @Test
    void testPointsHoldWhateverTheData() {
        ZoneData d = new ZoneData();
        d.replaceAll(1, List.of(new ListingRecord("127.0.0.0/8", 9, 1f), new ListingRecord("::ffff:0:0/96", 9, 1f)));
        assertEquals(2, code(d, "127.0.0.2"));
        assertEquals(0, code(d, "127.0.0.1"));
        assertEquals(9, code(d, "127.0.0.3"));
        assertEquals(2, code6(d, "::ffff:7f00:2", null));
        assertEquals(0, code6(d, "::ffff:7f00:1", null));
    }

    @Test
    void deltasAddChangeRemoveAndAreKeptForIxfr() {
        ZoneData d = new ZoneData();
        d.replaceAll(1, List.of(new ListingRecord("192.0.2.1", 2, 1f), new ListingRecord("192.0.2.2", 2, 1f)));
        d.apply(2, List.of(ListingRecord.removal("192.0.2.1"), new ListingRecord("192.0.2.3", 2, 1f),
                new ListingRecord("192.0.2.2", 3, 1f), ListingRecord.removal("203.0.113.9")));
        assertEquals(0, code(d, "192.0.2.1"));
        assertEquals(3, code(d, "192.0.2.2"));
        assertEquals(2, code(d, "192.0.2.3"));
        List<ZoneDelta> chain = d.deltasSince(1);
        assertEquals(1, chain.size());
        ZoneDelta delta = chain.get(0);
        assertEquals(2, delta.toSerial());
        assertTrue(delta.removed().contains(new ListingRecord("192.0.2.1", 2, 1f)));
        assertTrue(delta.removed().contains(new ListingRecord("192.0.2.2", 2, 1f)));
        assertTrue(delta.added().contains(new ListingRecord("192.0.2.2", 3, 1f)));
        assertTrue(delta.added().contains(new ListingRecord("192.0.2.3", 2, 1f)));
        assertEquals(4, delta.weight()); // the removal of an unknown address is no change
        assertNull(d.deltasSince(77));
    }

    @Test
    void replaceAllKeepsTheDifferenceAsOneIxfrStep() {
        ZoneData d = new ZoneData();
        d.replaceAll(1, List.of(new ListingRecord("192.0.2.1", 2, 1f)));
        d.replaceAll(2, List.of(new ListingRecord("192.0.2.1", 2, 1f), new ListingRecord("2001:db8::/48", 2, 1f)));
        ZoneDelta step = d.deltasSince(1).get(0);
        assertEquals(List.of(), step.removed());
        assertEquals(List.of(new ListingRecord("2001:db8::/48", 2, 1f)), step.added());
    }

    @Test
    void historyIsBounded() {
        ZoneData d = new ZoneData(3, 1000);
        for (int i = 1; i <= 10; i++) {
            d.apply(i + 1, List.of(new ListingRecord("192.0.2." + i, 2, 1f)));
        }
        assertNull(d.deltasSince(1));
        assertEquals(3, d.deltasSince(8).size());
    }

    @Test
    void memberViewsApplyAllowDenyAndThreshold() {
        ZoneData d = new ZoneData();
        d.replaceAll(1, List.of(new ListingRecord("192.0.2.1", 2, 0.9f), new ListingRecord("192.0.2.2", 2, 0.3f),
                new ListingRecord("2001:db8::/32", 2, 0.9f)));
        d.putMemberView(new MemberView("Key1", 0.5, List.of("192.0.2.1", "2001:db8:1::/48"), List.of("203.0.113.0/24")));
        CompiledView v = d.snapshot().view("key1");
        assertEquals(0, d.snapshot().codeV4(v4("192.0.2.1"), v));
        assertEquals(0, d.snapshot().codeV4(v4("192.0.2.2"), v)); // score below the member's threshold
        assertEquals(4, d.snapshot().codeV4(v4("203.0.113.77"), v));
        assertEquals(0, code6(d, "2001:db8:1::5", v));
        assertEquals(2, code6(d, "2001:db8:2::5", v));
        assertEquals(2, code(d, "192.0.2.2")); // the global view is unchanged
        d.putMemberView(new MemberView("nan", Double.NaN, List.of(), List.of()));
        assertEquals(2, d.snapshot().codeV4(v4("192.0.2.2"), d.snapshot().view("nan")));
        d.removeMemberView("KEY1");
        assertNull(d.snapshot().view("key1"));
        assertThrows(IllegalArgumentException.class, () -> new MemberView("bad.key", 0, List.of(), List.of()));
    }

    @Test
    void ipParsingIsStrict() {
        assertEquals(-1, Ip.parseV4("1.2.3"));
        assertEquals(-1, Ip.parseV4("1.2.3.256"));
        assertEquals(-1, Ip.parseV4("1.2.3.4."));
        assertEquals(0xC0000201L, Ip.parseV4("192.0.2.1"));
        assertNull(Ip.parseV6("1:2:3"));
        assertNull(Ip.parseV6("::1::"));
        assertEquals("2001:db8::1", Ip.formatV6(Ip.parseV6("2001:DB8:0:0::1")[0], Ip.parseV6("2001:DB8:0:0::1")[1]));
        assertEquals("::ffff:7f00:2", Ip.parseBlock("::ffff:127.0.0.2").toString());
        assertEquals("198.51.100.0/24", Ip.parseBlock("198.51.100.77/24").toString());
        assertThrows(IllegalArgumentException.class, () -> Ip.parseBlock("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> Ip.parseBlock("example.com"));
    }

    @Test
    void bigLevelsAgreeWithASetForRandomAndBoundaryProbes() {
        java.util.Random rnd = new java.util.Random(5);
        java.util.Set<Integer> set = new java.util.HashSet<>();
        IndexBuilder b = new IndexBuilder();
        for (int i = 0; i < 100_000; i++) {
            int v = rnd.nextInt();
            if (rnd.nextInt(50) == 0) {
                v = (v & 0xffff0000) | (rnd.nextBoolean() ? 0 : 0xffff); // bucket edges
            }
            if (v == ZoneSnapshot.TEST_POINT_LISTED_V4 || v == ZoneSnapshot.TEST_POINT_UNLISTED_V4) {
                continue;
            }
            set.add(v);
            b.addV4(v, 32, 2, 1f);
        }
        ZoneData d = new ZoneData();
        d.replaceAll(1, b.build());
        for (int v : set) {
            assertEquals(2, d.snapshot().codeV4(v, null));
        }
        for (int i = 0; i < 200_000; i++) {
            int v = rnd.nextInt();
            if (rnd.nextInt(10) == 0) {
                v = (v & 0xffff0000) | (rnd.nextBoolean() ? 0 : 0xffff);
            }
            if (v == ZoneSnapshot.TEST_POINT_LISTED_V4) {
                continue;
            }
            assertEquals(set.contains(v) ? 2 : 0, d.snapshot().codeV4(v, null));
        }
    }

    @Test
    void aMillionAddressesLoadAndAnswer() {
        IndexBuilder b = new IndexBuilder();
        for (int i = 0; i < 1_000_000; i++) {
            b.addV4(0x0A000000 + i * 7, 32, 2, 1f);
        }
        ZoneData d = new ZoneData();
        d.replaceAll(5, b.build());
        assertEquals(1_000_000, d.snapshot().index().size());
        assertEquals(2, d.snapshot().codeV4(0x0A000000 + 7 * 123_456, null));
        assertEquals(0, d.snapshot().codeV4(0x0A000000 + 7 * 123_456 + 1, null));
    }

    private static java.util.List<ListingRecord> singles(int n, int base) {
        java.util.List<ListingRecord> out = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new ListingRecord(Ip.formatV4(base + i), 2, 1f));
        }
        return out;
    }

    @Test
    void theInitialLoadAndBigReloadsAreNotKeptAsIxfrSteps() {
        ZoneData d = new ZoneData();
        d.replaceAll(1, singles(200_000, v4("10.0.0.0")));
        assertEquals(0, d.historyRecords(), "the first load must not be retained as an IXFR step");
        assertNull(d.deltasSince(0));
        // a reload that changes half the zone: AXFR for anyone behind, nothing retained
        List<ListingRecord> half = new java.util.ArrayList<>(singles(100_000, v4("10.0.0.0")));
        half.addAll(singles(100_000, v4("11.0.0.0")));
        d.replaceAll(2, half);
        assertEquals(0, d.historyRecords());
        assertNull(d.deltasSince(1));
        // a small reload is still an IXFR step
        List<ListingRecord> small = new java.util.ArrayList<>(half);
        small.add(new ListingRecord("192.0.2.77", 2, 1f));
        d.replaceAll(3, small);
        assertEquals(1, d.historyRecords());
        assertEquals(1, d.deltasSince(2).size());
        assertTrue(d.largestHistoryStep() < 1_000);
    }

    @Test
    void historyIsBoundedByTotalRecords() {
        ZoneData d = new ZoneData();
        d.replaceAll(1, List.of(new ListingRecord("192.0.2.1", 2, 1f)));
        for (int s = 2; s < 40; s++) {
            d.apply(s, singles(5_000, v4("10.0.0.0") + s * 5_000));
        }
        assertTrue(d.historyRecords() <= 100_000, "history holds " + d.historyRecords());
        assertNull(d.deltasSince(2));
        assertEquals(1, d.deltasSince(38).size());
    }
}
