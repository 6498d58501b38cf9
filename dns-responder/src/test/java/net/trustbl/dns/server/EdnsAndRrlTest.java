package net.trustbl.dns.server;

import net.trustbl.dns.config.DnsConfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import net.trustbl.dns.index.ListingRecord;
import net.trustbl.dns.index.ZoneData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** EDNS0 payload size (RFC 6891) and RRL grouping by client network. */
class EdnsAndRrlTest {

    static final String ZONE = "bl.trustbl.test.";
    DnsServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** An apex with 24 NS names: an answer of about 900 bytes. */
    private DnsServer start(int maxUdp) throws Exception {
        List<String> ns = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            ns.add(String.format("nameserver-%02d-abcdefghijk.h%02d.example", i, i)); // little to compress
        }
        ZoneData data = new ZoneData();
        data.replaceAll(1, List.of(new ListingRecord("192.0.2.1", 2, 1f)));
        return DnsServer.start(DnsConfig.builder().bind("127.0.0.1", 0).udpThreads(1).nsNames(ns).maxUdpSize(maxUdp)
                .rrlResponsesPerSecond(0).build(), data);
    }

    /** Sends the NS query over UDP (EDNS payload size, or none when 0) and returns the raw answer. */
    private byte[] udp(int payload) throws Exception {
        Message q = Message.newQuery(Record.newRecord(Name.fromString(ZONE), Type.NS, DClass.IN));
        if (payload > 0) {
            q.addRecord(new OPTRecord(payload, 0, 0), Section.ADDITIONAL);
        }
        byte[] w = q.toWire();
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(3000);
            s.send(new DatagramPacket(w, w.length, InetAddress.getLoopbackAddress(), server.boundPort()));
            byte[] buf = new byte[65535];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            s.receive(p);
            return java.util.Arrays.copyOf(buf, p.getLength());
        }
    }

    private int fullSizeOverTcp() throws Exception {
        SimpleResolver r = new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.boundPort()));
        r.setTCP(true);
        r.setTimeout(Duration.ofSeconds(3));
        Message m = r.send(Message.newQuery(Record.newRecord(Name.fromString(ZONE), Type.NS, DClass.IN)));
        assertEquals(24, m.getSection(Section.ANSWER).size());
        return m.toWire().length;
    }

    @Test
    void theClientsPayloadSizeIsHonouredNotJust512() throws Exception {
        server = start(1232);
        int full = fullSizeOverTcp();
        assertTrue(full > 800 && full < 1200, "test needs an answer between 800 and 1200 bytes: " + full);
        // no EDNS: 512 at most, so TC
        Message plain = new Message(udp(0));
        assertTrue(plain.getHeader().getFlag(Flags.TC));
        // EDNS 1232: the whole answer in one datagram, far beyond 512
        byte[] big = udp(1232);
        Message m = new Message(big);
        assertFalse(m.getHeader().getFlag(Flags.TC), "fits the advertised size");
        assertEquals(24, m.getSection(Section.ANSWER).size());
        assertTrue(big.length > 512);
        // EDNS 600: truncated at the client's size
        byte[] small = udp(600);
        assertTrue(small.length <= 600, "answer of " + small.length + " bytes for a 600-byte client");
        assertTrue(new Message(small).getHeader().getFlag(Flags.TC));
    }

    @Test
    void theClientsPayloadSizeIsCappedAtMaxUdpSize() throws Exception {
        server = start(700);
        byte[] w = udp(4096);
        assertTrue(w.length <= 700, "answer of " + w.length + " bytes above max-udp-size");
        Message m = new Message(w);
        assertTrue(m.getHeader().getFlag(Flags.TC));
        assertEquals(700, m.getOPT().getPayloadSize(), "we advertise our own cap");
    }

    /** A fixed hash salt: the same slots every run (the server draws a secret one). */
    static final long SALT = 0x5DEECE66DL;

    @Test
    void rrlGroupsIpv4ClientsBySlash24() throws Exception {
        RateLimiter rrl = new RateLimiter(2, 0, AddressAcl.of(List.of()), SALT);
        int now = 1000;
        assertEquals(RateLimiter.SEND, rrl.check(InetAddress.getByName("192.0.2.1"), now));
        assertEquals(RateLimiter.SEND, rrl.check(InetAddress.getByName("192.0.2.1"), now));
        // a neighbour in the same /24 shares the bucket
        assertEquals(RateLimiter.DROP, rrl.check(InetAddress.getByName("192.0.2.200"), now));
        // another /24 has its own
        assertEquals(RateLimiter.SEND, rrl.check(InetAddress.getByName("192.0.3.1"), now));
        assertEquals(RateLimiter.SEND, rrl.check(InetAddress.getByName("192.0.3.2"), now));
        assertEquals(RateLimiter.DROP, rrl.check(InetAddress.getByName("192.0.3.3"), now));
        // a new second, a new window
        assertEquals(RateLimiter.SEND, rrl.check(InetAddress.getByName("192.0.2.9"), now + 1));
    }

    @Test
    void rrlGroupsIpv6ClientsBySlash56() throws Exception {
        RateLimiter rrl = new RateLimiter(2, 0, AddressAcl.of(List.of()), SALT);
        int now = 1000;
        assertEquals(RateLimiter.SEND, rrl.check(InetAddress.getByName("2001:db8:0:1::1"), now));
        assertEquals(RateLimiter.SEND, rrl.check(InetAddress.getByName("2001:db8:0:1::2"), now));
        // 2001:db8:0:ff:: is in the same /56 (2001:db8:0:0::/56)
        assertEquals(RateLimiter.DROP, rrl.check(InetAddress.getByName("2001:db8:0:ff::9"), now));
        // 2001:db8:0:100:: is the next /56
        assertEquals(RateLimiter.SEND, rrl.check(InetAddress.getByName("2001:db8:0:100::1"), now));
        // an IPv4 client whose bits look alike is never in an IPv6 bucket
        assertEquals(RateLimiter.SEND, rrl.check(InetAddress.getByName("32.1.13.184"), now));
    }

    @Test
    void aLimitedNetworkKeepsItsCountWhateverOtherNetworksFloodIn() throws Exception {
        // spoofed sources from 300,000 networks land on every slot of the table (65,536) within the
        // second; the limited network's count used to be reset by whichever landed on its slot
        RateLimiter rrl = new RateLimiter(2, 0, AddressAcl.of(List.of()), SALT);
        InetAddress victim = InetAddress.getByName("192.0.2.1");
        int now = 77;
        rrl.check(victim, now);
        rrl.check(victim, now);
        assertEquals(RateLimiter.DROP, rrl.check(victim, now));
        byte[] a = new byte[4];
        for (int n = 0; n < 300_000; n++) {
            a[0] = (byte) (10 + (n >>> 16));
            a[1] = (byte) (n >>> 8);
            a[2] = (byte) n;
            rrl.check(InetAddress.getByAddress(a), now);
        }
        assertEquals(RateLimiter.DROP, rrl.check(victim, now), "still limited in the same second");
        assertEquals(RateLimiter.SEND, rrl.check(victim, now + 1), "a new second, a new window");
    }

    @Test
    void slipSendsEveryNthLimitedResponseTruncated() throws Exception {
        RateLimiter rrl = new RateLimiter(1, 2, AddressAcl.of(List.of()), SALT);
        InetAddress c = InetAddress.getByName("198.51.100.1");
        assertEquals(RateLimiter.SEND, rrl.check(c, 5));
        assertEquals(RateLimiter.DROP, rrl.check(c, 5));
        assertEquals(RateLimiter.SLIP, rrl.check(c, 5));
        assertEquals(RateLimiter.DROP, rrl.check(c, 5));
        assertEquals(RateLimiter.SLIP, rrl.check(c, 5));
    }
}
