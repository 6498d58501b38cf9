package net.trustbl.dns.standalone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import net.trustbl.dns.index.IndexBuilder;
import net.trustbl.dns.index.Ip;
import net.trustbl.dns.index.ZoneData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15 item 8, loader part: rbldnsd's range forms and CIDR, rejected lines with their numbers. */
class RbldnsdRangesTest {

    private static long v4(String s) {
        return Ip.parseV4(s);
    }

    private static long[] range(String a, String b) {
        return new long[] {v4(a), v4(b)};
    }

    @Test
    void everyFormRbldnsdWrites() {
        assertArrayEquals(range("192.0.2.1", "192.0.2.1"), Ip4Range.parse("192.0.2.1"));
        assertArrayEquals(range("192.0.2.4", "192.0.2.10"), Ip4Range.parse("192.0.2.4-10"));
        assertArrayEquals(range("192.0.2.250", "192.0.3.5"), Ip4Range.parse("192.0.2.250-192.0.3.5"));
        assertArrayEquals(range("192.0.2.250", "192.0.3.5"), Ip4Range.parse("192.0.2.250-3.5"));
        assertArrayEquals(range("10.1.2.0", "10.1.5.255"), Ip4Range.parse("10.1.2-5"));
        assertArrayEquals(range("10.1.2.0", "10.1.2.255"), Ip4Range.parse("10.1.2"));
        assertArrayEquals(range("10.1.0.0", "10.1.255.255"), Ip4Range.parse("10.1"));
        assertArrayEquals(range("10.0.0.0", "10.255.255.255"), Ip4Range.parse("10"));
        assertArrayEquals(range("198.51.100.0", "198.51.100.127"), Ip4Range.parse("198.51.100.0/25"));
        assertArrayEquals(range("10.0.0.0", "10.255.255.255"), Ip4Range.parse("10/8"));
        assertArrayEquals(range("0.0.0.0", "255.255.255.255"), Ip4Range.parse("0.0.0.0/0"));
        for (String bad : new String[] {"10.1.2.3-1", "1.2.3.4-5.6.7.8.9", "1.2.3.256", "1..2.3", "1.2.3.4/33", "a.b.c.d", "-", "1.2.3.4-"}) {
            assertThrows(IllegalArgumentException.class, () -> Ip4Range.parse(bad), bad);
        }
    }

    @Test
    void theLoaderServesRangesAndNamesTheLinesItRejects(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bl.ip4set");
        Files.writeString(f, String.join("\n", ":127.0.0.2:Listed $", "192.0.2.4-10 :3:", "10.1.2-3", "172.16/12",
                "192.168.1", "# a comment", "192.0.2.300", "not-an-ip :4:", "198.51.100.9-198.51.100.1", "203.0.113.1", ""));
        IndexBuilder b = new IndexBuilder();
        RbldnsdFile.Stats st = RbldnsdFile.load(f, b);
        assertEquals(3, st.skipped());
        assertEquals(List.of("bl.ip4set:7: '192.0.2.300': octet above 255",
                "bl.ip4set:8: 'not-an-ip :4:': not an IPv4 address or range",
                "bl.ip4set:9: '198.51.100.9-198.51.100.1': the range ends before it starts"), st.rejected());
        ZoneData d = new ZoneData();
        d.replaceAll(1, b.build());
        int[][] expect = {{v32("192.0.2.3"), 0}, {v32("192.0.2.4"), 3}, {v32("192.0.2.10"), 3}, {v32("192.0.2.11"), 0},
            {v32("10.1.2.0"), 2}, {v32("10.1.3.255"), 2}, {v32("10.1.4.0"), 0}, {v32("172.31.255.1"), 2},
            {v32("172.32.0.1"), 0}, {v32("192.168.1.77"), 2}, {v32("203.0.113.1"), 2}};
        for (int[] e : expect) {
            assertEquals(e[1], d.snapshot().codeV4(e[0], null), Ip.formatV4(e[0]));
        }
    }

    private static int v32(String s) {
        return (int) v4(s);
    }
}
