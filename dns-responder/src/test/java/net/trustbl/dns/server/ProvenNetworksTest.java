package net.trustbl.dns.server;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which UDP lookups count: proven networks, exempt ones; challenges at most every 10 minutes. */
class ProvenNetworksTest {

    static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void aNetworkIsChallengedProvenByTcpAndLapses() throws Exception {
        ProvenNetworks p = new ProvenNetworks(3600, AddressAcl.of(List.of("127.0.0.0/8")));
        int t = 1_000_000;
        assertEquals(ProvenNetworks.CHALLENGE, p.udp(ip("198.51.100.7"), t));
        assertEquals(ProvenNetworks.SILENT, p.udp(ip("198.51.100.8"), t + 1), "one /24, one challenge");
        assertEquals(ProvenNetworks.SILENT, p.udp(ip("198.51.100.7"), t + 599));
        assertEquals(ProvenNetworks.CHALLENGE, p.udp(ip("198.51.100.7"), t + 600), "again after 10 minutes");
        p.provenByTcp(ip("198.51.100.200"), t + 601);
        assertEquals(ProvenNetworks.COUNT, p.udp(ip("198.51.100.7"), t + 602));
        assertEquals(ProvenNetworks.COUNT, p.udp(ip("198.51.100.7"), t + 601 + 3599));
        assertEquals(ProvenNetworks.CHALLENGE, p.udp(ip("198.51.100.7"), t + 601 + 3600), "the proof lapses");
        assertEquals(ProvenNetworks.COUNT, p.udp(ip("127.0.0.1"), t), "exempt");
        assertEquals(ProvenNetworks.CHALLENGE, p.udp(ip("2001:db8:1::1"), t));
        assertEquals(ProvenNetworks.SILENT, p.udp(ip("2001:db8:1:ffff::1"), t + 1), "one IPv6 /48");
    }

    @Test
    void aFloodOfSpoofedNetworksDoesNotEvictProvenOnes() throws Exception {
        ProvenNetworks p = new ProvenNetworks(86_400, AddressAcl.of(List.of()));
        int t = 5_000;
        for (int i = 0; i < 200; i++) {
            p.provenByTcp(ip("203.0." + i + ".1"), t);
        }
        byte[] a = new byte[4];
        for (int n = 0; n < 1_000_000; n++) { // eight times the table
            a[0] = (byte) (11 + (n >>> 16));
            a[1] = (byte) (n >>> 8);
            a[2] = (byte) n;
            p.udp(InetAddress.getByAddress(a), t + 1);
        }
        for (int i = 0; i < 200; i++) {
            assertEquals(ProvenNetworks.COUNT, p.udp(ip("203.0." + i + ".9"), t + 2), "proven network " + i + " kept");
        }
    }

    @Test
    void atMostTenChallengesASecondGoOutSoThatTcpRetriesCannotQueueUp() throws Exception {
        ProvenNetworks p = new ProvenNetworks(86_400, AddressAcl.of(List.of()));
        int challenged = 0;
        for (int i = 0; i < 100; i++) {
            if (p.udp(ip("198.18." + i + ".1"), 42) == ProvenNetworks.CHALLENGE) {
                challenged++;
            }
        }
        assertEquals(ProvenNetworks.MAX_CHALLENGES_PER_SECOND, challenged, "the rest are answered, uncounted");
        assertEquals(ProvenNetworks.CHALLENGE, p.udp(ip("198.18.99.1"), 43), "and challenged in a later second");
    }

    @Test
    void offCountsEverything() throws Exception {
        ProvenNetworks p = new ProvenNetworks(0, AddressAcl.of(List.of()));
        assertEquals(ProvenNetworks.COUNT, p.udp(ip("198.51.100.7"), 1));
    }
}
