package net.trustbl.dns.server;

import net.trustbl.dns.config.DnsConfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import net.trustbl.dns.index.ListingRecord;
import net.trustbl.dns.index.ZoneData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The volume signal over real UDP on loopback: a lookup counts once per (address, client network)
 * per interval, and only when it was answered. Linux routes all of 127/8 to lo, so a client socket
 * bound to 127.x.y.1 is a client of network 127.x.y.0/24.
 */
class LookupCountingTest {

    static final String ZONE = "bl.trustbl.test.";
    DnsServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start(DnsConfig.Builder config) throws Exception {
        ZoneData data = new ZoneData();
        data.replaceAll(1, List.of(new ListingRecord("203.0.113.77", 2, 1f)));
        server = DnsServer.start(config.bind("127.0.0.1", 0).udpThreads(2).build(), data);
    }

    private static byte[] query(String name, int id) throws Exception {
        Message q = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN));
        q.getHeader().setID(id);
        return q.toWire();
    }

    private Map<String, Long> drain() {
        Map<String, Long> ips = new HashMap<>();
        server.traffic().drain(ips::put, (k, n) -> { });
        return ips;
    }

    @Test
    void sixtyThousandQueriesFromOneClientCountOnce() throws Exception {
        start(DnsConfig.builder()); // loopback is exempt from RRL by default: every query is answered
        byte[] q = query("77.113.0.203." + ZONE, 1);
        InetSocketAddress to = new InetSocketAddress("127.0.0.1", server.boundPort());
        int answered = 0;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            s.setSoTimeout(1000);
            DatagramPacket out = new DatagramPacket(q, q.length, to);
            DatagramPacket in = new DatagramPacket(new byte[512], 512);
            // a window of 32 queries in flight: quick, and no answer lost to a full socket buffer
            for (int sent = 0; sent < 60_000; sent += 32) {
                for (int k = 0; k < 32; k++) {
                    s.send(out);
                }
                for (int k = 0; k < 32; k++) {
                    try {
                        s.receive(in);
                        answered++;
                    } catch (SocketTimeoutException e) {
                        break;
                    }
                }
            }
        }
        assertTrue(answered > 59_000, "answered " + answered);
        assertEquals(Map.of("203.0.113.77", 1L), drain());
    }

    @Test
    void queriesFromThreeHundredClientNetworksCountThreeHundred() throws Exception {
        start(DnsConfig.builder());
        byte[] q = query("77.113.0.203." + ZONE, 7);
        InetSocketAddress to = new InetSocketAddress("127.0.0.1", server.boundPort());
        for (int i = 0; i < 300; i++) {
            InetAddress from = InetAddress.getByName("127." + (i / 250 + 1) + "." + (i % 250) + ".1");
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(from, 0))) {
                s.setSoTimeout(2000);
                for (int k = 0; k < 3; k++) { // repeats from the same network add nothing
                    s.send(new DatagramPacket(q, q.length, to));
                    s.receive(new DatagramPacket(new byte[512], 512));
                }
            }
        }
        assertEquals(Map.of("203.0.113.77", 300L), drain());
    }

    @Test
    void rateLimitedQueriesAreNotCounted() throws Exception {
        // loopback not exempt, 5 answers per second; of the limited ones every 2nd slips (goes out
        // truncated, without the answer) and the others are dropped
        start(DnsConfig.builder().rrlExempt(List.of()).rrlResponsesPerSecond(5).rrlSlip(2));
        InetSocketAddress to = new InetSocketAddress("127.0.0.1", server.boundPort());
        Set<String> answered = new HashSet<>();
        int slipped = 0;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            s.setSoTimeout(300);
            for (int i = 0; i < 50; i++) {
                byte[] q = query(i + ".2.0.192." + ZONE, i);
                s.send(new DatagramPacket(q, q.length, to));
            }
            byte[] buf = new byte[512];
            while (true) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    s.receive(p);
                } catch (SocketTimeoutException e) {
                    break;
                }
                Message m = new Message(java.util.Arrays.copyOf(buf, p.getLength()));
                if (m.getHeader().getFlag(org.xbill.DNS.Flags.TC)) {
                    slipped++;
                } else {
                    answered.add("192.0.2." + m.getHeader().getID());
                }
            }
        }
        assertTrue(answered.size() >= 5 && answered.size() < 50, "answered " + answered.size());
        assertTrue(slipped > 0, "some slipped");
        assertEquals(slipped, server.metrics().rrlSlips());
        assertEquals(50 - answered.size() - slipped, server.metrics().rrlDrops());
        assertEquals(answered, drain().keySet(), "exactly the fully answered lookups count");
    }

    /** One UDP query from {@code from}; the answer's header flags tell a challenge (TC) from an answer. */
    private Message udp(String from, String name, int id) throws Exception {
        byte[] q = query(name, id);
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(from), 0))) {
            s.setSoTimeout(2000);
            s.send(new DatagramPacket(q, q.length, new InetSocketAddress("127.0.0.1", server.boundPort())));
            DatagramPacket p = new DatagramPacket(new byte[512], 512);
            s.receive(p);
            return new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
        }
    }

    private Message tcp(String from, String name, int id) throws Exception {
        byte[] q = query(name, id);
        try (java.net.Socket s = new java.net.Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            s.connect(new InetSocketAddress("127.0.0.1", server.boundPort()), 2000);
            s.setSoTimeout(2000);
            java.io.DataOutputStream out = new java.io.DataOutputStream(s.getOutputStream());
            out.writeShort(q.length);
            out.write(q);
            out.flush();
            java.io.DataInputStream in = new java.io.DataInputStream(s.getInputStream());
            byte[] a = new byte[in.readUnsignedShort()];
            in.readFully(a);
            return new Message(a);
        }
    }

    @Test
    void udpLookupsCountOnlyFromNetworksThatAnsweredOverTcp() throws Exception {
        // loopback is not exempt here: 127.9.1.0/24 is a network like any other
        start(DnsConfig.builder().trafficProof(24, List.of()));
        Message first = udp("127.9.1.1", "77.113.0.203." + ZONE, 1);
        assertTrue(first.getHeader().getFlag(org.xbill.DNS.Flags.TC), "an unproven network's first query is challenged");
        assertEquals(0, first.getSectionArray(org.xbill.DNS.Section.ANSWER).length);
        Message second = udp("127.9.1.2", "77.113.0.203." + ZONE, 2);
        assertFalse(second.getHeader().getFlag(org.xbill.DNS.Flags.TC), "then answered (one challenge per 10 minutes)");
        assertEquals(1, second.getSectionArray(org.xbill.DNS.Section.ANSWER).length);
        assertEquals(Map.of(), drain(), "but not counted: nothing shows the network receives answers");

        // the resolver asks again over TCP, as it must after TC: the handshake proves the network
        assertEquals(1, tcp("127.9.1.1", "77.113.0.203." + ZONE, 3).getSectionArray(org.xbill.DNS.Section.ANSWER).length);
        assertEquals(Map.of("203.0.113.77", 1L), drain());
        Message proven = udp("127.9.1.3", "5.2.0.192." + ZONE, 4);
        assertFalse(proven.getHeader().getFlag(org.xbill.DNS.Flags.TC));
        assertEquals(Map.of("192.0.2.5", 1L), drain(), "UDP lookups of a proven network count");
        assertEquals(1, server.trafficProofChallenges());
    }

    @Test
    void spoofedNetworksRaiseNoCounts() throws Exception {
        // a spoofer's queries "from" 200 networks: each gets a truncated answer (at the spoofed
        // address, so nobody asks again over TCP) and none counts
        start(DnsConfig.builder().trafficProof(24, List.of()));
        int truncated = 0;
        for (int i = 0; i < 200; i++) {
            Message m = udp("127.10." + i + ".1", "77.113.0.203." + ZONE, i);
            if (m.getHeader().getFlag(org.xbill.DNS.Flags.TC)) {
                truncated++;
            }
        }
        assertEquals(Map.of(), drain());
        assertTrue(truncated >= 10, "challenged, at most ten a second: " + truncated);
        assertEquals(truncated, server.trafficProofChallenges());
    }
}
