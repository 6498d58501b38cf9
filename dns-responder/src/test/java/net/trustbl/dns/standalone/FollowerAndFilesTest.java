package net.trustbl.dns.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import net.trustbl.dns.export.RbldnsdExport;
import net.trustbl.dns.index.IndexBuilder;
import net.trustbl.dns.index.Ip;
import net.trustbl.dns.index.ListingRecord;
import net.trustbl.dns.index.ZoneData;
import net.trustbl.dns.config.DnsConfig;
import net.trustbl.dns.server.DnsServer;
import net.trustbl.dns.zone.ZoneRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FollowerAndFilesTest {

    private static int v4(String s) {
        return (int) Ip.parseV4(s);
    }

    private static long[] v6(String s) {
        return Ip.parseV6(s);
    }

    @Test
    void followerCopiesThePrimaryAndFollowsIxfrOnNotify() throws Exception {
        ZoneData primaryData = new ZoneData();
        primaryData.replaceAll(10, List.of(new ListingRecord("192.0.2.1", 2, 1f), new ListingRecord("198.51.100.0/22", 3, 1f),
                new ListingRecord("2001:db8::/62", 2, 1f)));
        DnsConfig pc = DnsConfig.builder().bind("127.0.0.1", 0).build();
        try (DnsServer primary = DnsServer.start(pc, primaryData)) {
            ZoneData copy = new ZoneData();
            DnsConfig fc = DnsConfig.builder().bind("127.0.0.1", 0).build();
            try (DnsServer replica = DnsServer.start(fc, copy);
                 ZoneFollower follower = new ZoneFollower("127.0.0.1", primary.boundPort(), new ZoneRecords(fc), copy, null)) {
                replica.onNotify(List.of("127.0.0.1"), a -> follower.notified());
                assertTrue(follower.refresh());
                assertEquals(10, copy.serial());
                assertEquals(2, copy.snapshot().codeV4(v4("192.0.2.1"), null));
                assertEquals(3, copy.snapshot().codeV4(v4("198.51.103.200"), null)); // /22 expanded to four /24s
                assertEquals(0, copy.snapshot().codeV4(v4("198.51.104.1"), null));
                long[] a = v6("2001:db8:0:3::1");
                assertEquals(2, copy.snapshot().codeV6(a[0], a[1], null));
                primaryData.apply(11, List.of(ListingRecord.removal("192.0.2.1"), new ListingRecord("203.0.113.7", 2, 1f)));
                assertTrue(follower.refresh());
                assertEquals(11, copy.serial());
                assertEquals(0, copy.snapshot().codeV4(v4("192.0.2.1"), null));
                assertEquals(2, copy.snapshot().codeV4(v4("203.0.113.7"), null));
                assertTrue(copy.deltasSince(10) != null, "the copy applied an IXFR step, not a full reload");
            }
        }
    }

    @Test
    void rbldnsdFilesLoadAndExportRoundTrips(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bl.ip4set");
        Files.writeString(f, String.join("\n",
                "# comment", "$TTL 300", ":127.0.0.2:Listed $", "192.0.2.1", "198.51.100.0/24 :3:other",
                "!198.51.100.7", "10.1", "203.0.113.10-203.0.113.13", "not-an-ip", "2001:db8::/48 :127.0.0.5:", ""));
        IndexBuilder b = new IndexBuilder();
        RbldnsdFile.Stats st = RbldnsdFile.load(f, b);
        assertEquals(1, st.skipped());
        ZoneData d = new ZoneData();
        d.replaceAll(1, b.build());
        assertEquals(2, d.snapshot().codeV4(v4("192.0.2.1"), null));
        assertEquals(3, d.snapshot().codeV4(v4("198.51.100.8"), null));
        assertEquals(0, d.snapshot().codeV4(v4("198.51.100.7"), null));
        assertEquals(2, d.snapshot().codeV4(v4("10.1.200.3"), null));
        assertEquals(2, d.snapshot().codeV4(v4("203.0.113.13"), null));
        assertEquals(0, d.snapshot().codeV4(v4("203.0.113.14"), null));
        long[] a = v6("2001:db8:0:1::1");
        assertEquals(5, d.snapshot().codeV6(a[0], a[1], null));

        StringWriter w4 = new StringWriter();
        RbldnsdExport.write(w4, d.snapshot(), "Listed by TrustBL: https://x/lookup/$", RbldnsdExport.Format.IP4SET);
        String text = w4.toString();
        assertTrue(text.contains(":127.0.0.2:Listed by TrustBL: https://x/lookup/$\n"));
        assertTrue(text.contains("\n!198.51.100.7\n"));
        assertTrue(text.contains("\n198.51.100.0/24 :127.0.0.3:Listed by TrustBL: https://x/lookup/$\n"));
        Path back = dir.resolve("back.ip4set");
        Files.writeString(back, text);
        StringWriter w6 = new StringWriter();
        RbldnsdExport.write(w6, d.snapshot(), "T $", RbldnsdExport.Format.IP6TRIE);
        assertTrue(w6.toString().contains("2001:db8::/48 :127.0.0.5:T $"));
        Path back6 = dir.resolve("back.ip6trie");
        Files.writeString(back6, w6.toString());
        IndexBuilder again = new IndexBuilder();
        RbldnsdFile.load(back, again);
        RbldnsdFile.load(back6, again);
        ZoneData d2 = new ZoneData();
        d2.replaceAll(1, again.build());
        for (String ip : new String[] {"192.0.2.1", "198.51.100.8", "198.51.100.7", "10.1.200.3", "203.0.113.14"}) {
            assertEquals(d.snapshot().codeV4(v4(ip), null), d2.snapshot().codeV4(v4(ip), null), ip);
        }
        assertEquals(5, d2.snapshot().codeV6(a[0], a[1], null));
    }

    @Test
    void argumentsBecomeConfigKeys() {
        var m = StandaloneCommandLine.parse(new String[] {"--bind", "127.0.0.1:9", "--zone=z.example", "--measure-heap"});
        assertEquals("127.0.0.1:9", m.get("trustbl.dns.bind"));
        assertEquals("z.example", m.get("trustbl.dns.zone"));
        assertEquals("true", m.get("trustbl.dns.measure-heap"));
        DnsConfig c = DnsConfig.fromLookup(m::get);
        assertEquals(9, c.bindPort());
        assertEquals("z.example", c.zone());
    }
}
