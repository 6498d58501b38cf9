package net.trustbl.dns.server;

import net.trustbl.dns.config.DnsConfig;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.netty.channel.epoll.Epoll;
import net.trustbl.dns.index.ListingRecord;
import net.trustbl.dns.index.MemberView;
import net.trustbl.dns.index.ZoneData;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Issue 18 item 2: the batched native paths (recvmmsg/sendmmsg into fixed buffers, and through Netty's
 * epoll channel) and the JDK path answer every query byte for byte alike, and the native paths
 * answer a burst whole (several batches, answers to many client ports).
 */
class UdpPathsAgreeTest {

    private static final String ZONE = "bl.trustbl.test.";

    private static ZoneData data() {
        ZoneData d = new ZoneData();
        d.replaceAll(7, List.of(new ListingRecord("192.0.2.1", 2, 1f), new ListingRecord("198.51.100.0/24", 3, 1f),
                new ListingRecord("2001:db8::/64", 3, 1f)));
        d.putMemberView(new MemberView("k1", 0.5, List.of("192.0.2.1"), List.of("203.0.113.0/24")));
        return d;
    }

    private static DnsServer server(ZoneData d, String io) throws Exception {
        return DnsServer.start(DnsConfig.builder().bind("127.0.0.1", 0).udpThreads(2).udpIo(io)
                .rrlResponsesPerSecond(0).build(), d);
    }

    /** The fixed-buffer path on its own, pausing {@code coalesceMicros} between reads when busy. */
    private static DnsServer mmsg(ZoneData d, int threads, int coalesceMicros) throws Exception {
        return DnsServer.start(DnsConfig.builder().bind("127.0.0.1", 0).udpThreads(threads).udpIo("mmsg")
                .udpCoalesceMicros(coalesceMicros).rrlResponsesPerSecond(0).build(), d);
    }

    private static List<byte[]> queries() throws Exception {
        List<byte[]> qs = new ArrayList<>();
        String[] names = {"1.2.0.192.", "2.2.0.192.", "7.100.51.198.", "2.0.0.127.", "1.0.0.127.", "1.2.0.192.k1.",
            "9.113.0.203.k1.", "1.2.0.192.nokey.", "2.0.192.", "", "ns1.", "5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2."};
        int id = 1;
        for (String n : names) {
            for (int type : new int[] {Type.A, Type.TXT, Type.ANY, Type.SOA, Type.AAAA}) {
                for (int edns : new int[] {0, 1232, 4096}) {
                    Message q = Message.newQuery(Record.newRecord(Name.fromString(n + ZONE), type, DClass.IN));
                    q.getHeader().setID(id++);
                    if (edns > 0) {
                        q.addRecord(new OPTRecord(edns, 0, 0, edns == 4096 ? ExtendedFlags.DO : 0), Section.ADDITIONAL);
                    }
                    qs.add(q.toWire());
                }
            }
        }
        Message outside = Message.newQuery(Record.newRecord(Name.fromString("example.com."), Type.A, DClass.IN));
        qs.add(outside.toWire());
        Message notify = Message.newQuery(Record.newRecord(Name.fromString(ZONE), Type.SOA, DClass.IN));
        notify.getHeader().setOpcode(Opcode.NOTIFY);
        qs.add(notify.toWire());
        qs.add(new byte[] {1, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 5, 'x'}); // cut short: FORMERR
        return qs;
    }

    private static byte[] ask(DatagramSocket s, int port, byte[] q) throws Exception {
        s.send(new DatagramPacket(q, q.length, InetAddress.getLoopbackAddress(), port));
        DatagramPacket r = new DatagramPacket(new byte[65536], 65536);
        s.receive(r);
        return Arrays.copyOf(r.getData(), r.getLength());
    }

    @Test
    void bothPathsAnswerByteForByteAlike() throws Exception {
        assertTrue(Epoll.isAvailable(), "native epoll on this platform: " + Epoll.unavailabilityCause());
        ZoneData d = data();
        assertTrue(MmsgUdp.available(), "recvmmsg/sendmmsg reachable: " + MmsgSocket.unavailabilityCause());
        try (DnsServer java = server(d, "java"); DnsServer epoll = server(d, "epoll"); DnsServer mmsg = server(d, "mmsg");
             DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            assertTrue(java.udpDescription().startsWith("java"), java.udpDescription());
            assertTrue(epoll.udpDescription().startsWith("epoll"), epoll.udpDescription());
            assertTrue(mmsg.udpDescription().startsWith("mmsg"), mmsg.udpDescription());
            s.setSoTimeout(5000);
            int compared = 0;
            for (byte[] q : queries()) {
                byte[] a = ask(s, java.boundPort(), q);
                byte[] b = ask(s, epoll.boundPort(), q);
                byte[] c = ask(s, mmsg.boundPort(), q);
                assertArrayEquals(a, b, "epoll and java answers differ for " + describe(q));
                assertArrayEquals(a, c, "mmsg and java answers differ for " + describe(q));
                compared++;
            }
            assertTrue(compared > 150, "queries compared: " + compared);
        }
    }

    @Test
    void aBurstIsAnsweredWholeThroughBatchedReads() throws Exception {
        burstAnsweredWhole("epoll");
    }

    @Test
    void aBurstIsAnsweredWholeThroughFixedBuffers() throws Exception {
        burstAnsweredWhole("mmsg");
    }

    @Test
    void withoutThePauseUnderLoadABurstIsAnsweredWholeToo() throws Exception {
        try (DnsServer mmsg = mmsg(data(), 2, 0)) {
            assertTrue(!mmsg.udpDescription().contains("apart"), mmsg.udpDescription());
            burstAnsweredWhole(mmsg);
        }
    }

    /**
     * After a burst the fixed-buffer path pauses between reads (udp-coalesce-micros); once the burst
     * is over it must go back to waiting for packets, so a lone query later is answered at once,
     * and answered alike by a server that never pauses.
     */
    @Test
    void aLoneQueryAfterABurstIsAnsweredAtOnceAndAlike() throws Exception {
        ZoneData d = data();
        try (DnsServer pausing = mmsg(d, 1, DnsConfig.MAX_UDP_COALESCE_MICROS);
             DnsServer java = server(d, "java");
             DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            assertTrue(pausing.udpDescription().contains("1000 µs apart when busy"), pausing.udpDescription());
            for (int round = 0; round < 3; round++) {
                burstAnsweredWhole(pausing);
                Thread.sleep(20); // the burst is over: the thread goes back to waiting
                s.setSoTimeout(2000); // a thread stuck pausing, or never waiting again, misses this
                for (byte[] q : queries().subList(0, 30)) {
                    assertArrayEquals(ask(s, java.boundPort(), q), ask(s, pausing.boundPort(), q),
                            "answers differ after a burst for " + describe(q));
                }
            }
        }
    }

    /** A busy read makes the thread pause and read again; an empty read must send it back to waiting, not to pausing forever. */
    @Test
    void aQuietPortStopsPausing() throws Exception {
        try (DnsServer pausing = mmsg(data(), 1, DnsConfig.DEFAULT_UDP_COALESCE_MICROS)) {
            burstAnsweredWhole(pausing);
            Thread.sleep(100);
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            List<Long> workers = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("dns-udp-mmsg-")).map(Thread::getId).toList();
            assertTrue(!workers.isEmpty(), "no mmsg worker thread found");
            long before = workers.stream().mapToLong(mx::getThreadCpuTime).sum();
            Thread.sleep(1000);
            long spent = workers.stream().mapToLong(mx::getThreadCpuTime).sum() - before;
            // waiting costs a wake-up per 200 ms; pausing 50 µs at a time would be some 10,000 wake-ups
            assertTrue(spent < 20_000_000L, "an idle worker spent " + spent / 1_000_000 + " ms of CPU in 1 s");
        }
    }

    @Test
    void thePauseIsBounded() {
        DnsConfig.Builder b = DnsConfig.builder();
        assertEquals(DnsConfig.DEFAULT_UDP_COALESCE_MICROS, b.build().udpCoalesceMicros());
        assertThrows(IllegalArgumentException.class, () -> b.udpCoalesceMicros(-1).build());
        assertThrows(IllegalArgumentException.class,
                () -> b.udpCoalesceMicros(DnsConfig.MAX_UDP_COALESCE_MICROS + 1).build());
        assertEquals(120, DnsConfig.fromLookup(k -> k.equals("trustbl.dns.udp-coalesce-micros") ? "120" : null).udpCoalesceMicros());
    }

    @Test
    void autoTakesTheFixedBufferPath() throws Exception {
        try (DnsServer auto = server(data(), "auto")) {
            assertTrue(auto.udpDescription().startsWith("mmsg"), auto.udpDescription());
        }
    }

    @Test
    void overIpv6TheFixedBufferPathAnswersAsTheJdkPathDoes() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        try (DatagramSocket probe = new DatagramSocket(0, v6)) {
            probe.getLocalPort(); // this machine has IPv6 loopback
        } catch (java.net.SocketException e) {
            org.junit.jupiter.api.Assumptions.abort("no IPv6 loopback here: " + e);
        }
        ZoneData d = data();
        DnsConfig.Builder b = DnsConfig.builder().bind("::1", 0).udpThreads(1).rrlResponsesPerSecond(0);
        try (DnsServer java = DnsServer.start(b.udpIo("java").build(), d); DnsServer mmsg = DnsServer.start(b.udpIo("mmsg").build(), d);
             DatagramSocket s = new DatagramSocket(0, v6)) {
            s.setSoTimeout(5000);
            int compared = 0;
            for (byte[] q : queries()) {
                byte[] a = askAt(s, v6, java.boundPort(), q);
                byte[] c = askAt(s, v6, mmsg.boundPort(), q);
                assertArrayEquals(a, c, "mmsg and java answers over IPv6 differ for " + describe(q));
                compared++;
            }
            assertTrue(compared > 150, "queries compared: " + compared);
        }
    }

    private static byte[] askAt(DatagramSocket s, InetAddress server, int port, byte[] q) throws Exception {
        s.send(new DatagramPacket(q, q.length, server, port));
        DatagramPacket r = new DatagramPacket(new byte[65536], 65536);
        s.receive(r);
        return Arrays.copyOf(r.getData(), r.getLength());
    }

    private static void burstAnsweredWhole(String io) throws Exception {
        try (DnsServer server = server(data(), io)) {
            burstAnsweredWhole(server);
        }
    }

    private static void burstAnsweredWhole(DnsServer server) throws Exception {
        int burst = 400;
        // a client that is not 127.0.0.1: an answer sent to a wrong or empty address (0.0.0.0) would
        // still reach 127.0.0.1, not this one
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getByName("127.0.0.3"))) {
            s.setReceiveBufferSize(4 << 20);
            s.setSoTimeout(5000);
            InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.boundPort());
            Map<Integer, Integer> wanted = new HashMap<>();
            for (int id = 1; id <= burst; id++) {
                String ip = id % 2 == 0 ? "1.2.0.192." : id + ".7.0.10.";
                Message q = Message.newQuery(Record.newRecord(Name.fromString(id % 4 == 3 ? "9.9.9.9." + ZONE : ip + ZONE),
                        Type.A, DClass.IN));
                q.getHeader().setID(id);
                byte[] w = q.toWire();
                s.send(new DatagramPacket(w, w.length, to));
                wanted.put(id, id % 2 == 0 ? Rcode.NOERROR : Rcode.NXDOMAIN);
            }
            for (int i = 0; i < burst; i++) {
                DatagramPacket r = new DatagramPacket(new byte[512], 512);
                s.receive(r);
                Message m = new Message(Arrays.copyOf(r.getData(), r.getLength()));
                Integer rcode = wanted.remove(m.getHeader().getID());
                assertEquals(rcode, m.getRcode(), "id " + m.getHeader().getID());
            }
            assertTrue(wanted.isEmpty(), "unanswered: " + wanted.keySet());
        }
    }

    private static String describe(byte[] q) {
        try {
            return new Message(q).getQuestion().toString();
        } catch (Exception e) {
            return Arrays.toString(q);
        }
    }
}
