package net.trustbl.dns.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import net.trustbl.dns.config.DnsConfig;
import net.trustbl.dns.index.Ip;
import net.trustbl.dns.index.ListingRecord;
import net.trustbl.dns.index.ZoneData;
import net.trustbl.dns.server.DnsServer;
import net.trustbl.dns.server.ZoneFreshness;
import net.trustbl.dns.traffic.TrafficCounters;
import net.trustbl.dns.zone.ZoneRecords;
import net.trustbl.testing.Eventually;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/**
 * A follower trusts its primary only so far: a transfer over the record cap, or a full transfer
 * that would move the serial backwards, is refused and the loaded data stays; the primary's SOA
 * expire is clamped so that fail-closed still means something; NOTIFYs start at most one refresh
 * per {@link ZoneFollower#NOTIFY_MIN_INTERVAL}; with a TSIG key the NOTIFY round trip is signed.
 */
class FollowerLimitsTest {

    private static final String ZONE = "bl.trustbl.test.";
    private static final DnsConfig CONFIG = DnsConfig.builder().bind("127.0.0.1", 0).build();

    private static int v4(String s) {
        return (int) Ip.parseV4(s);
    }

    @Test
    void aFullTransferThatDoesNotMoveTheSerialForwardIsRefused() throws Exception {
        try (FakePrimary primary = new FakePrimary()) {
            ZoneData copy = new ZoneData();
            ZoneFreshness freshness = ZoneFreshness.failClosed(Duration.ofSeconds(1000));
            try (ZoneFollower follower = new ZoneFollower("127.0.0.1", primary.port(), new ZoneRecords(CONFIG), copy, null,
                    freshness)) {
                primary.serve(10, 1);
                assertTrue(follower.refresh());
                assertEquals(10, copy.serial());
                assertEquals(2, copy.snapshot().codeV4(v4("10.0.0.0"), null));

                // the primary answers IXFR with NOTIMP, so the follower falls back to AXFR: serial 9 is older
                primary.serve(9, 3);
                assertFalse(follower.refresh(), "a full transfer back to serial 9 is refused");
                assertEquals(10, copy.serial());
                assertEquals(0, copy.snapshot().codeV4(v4("10.0.0.2"), null), "nothing of it was loaded");
                assertEquals(2, copy.snapshot().codeV4(v4("10.0.0.0"), null));

                // the same serial again: nothing to load, but the data is confirmed current
                primary.serve(10, 3);
                assertTrue(follower.refresh());
                assertEquals(0, copy.snapshot().codeV4(v4("10.0.0.2"), null));

                // RFC 1982: 10 + 2^31 is not newer than 10 (undefined, so refused); 10 + 2^31 - 1 is
                primary.serve(10 + (1L << 31), 3);
                assertFalse(follower.refresh());
                assertEquals(10, copy.serial());
                primary.serve(10 + (1L << 31) - 1, 3);
                assertTrue(follower.refresh());
                assertEquals(10 + (1L << 31) - 1, copy.serial());
                assertEquals(2, copy.snapshot().codeV4(v4("10.0.0.2"), null));
            }
        }
    }

    @Test
    void onceLoadedTheFollowerAsksForIxfr() throws Exception {
        try (FakePrimary primary = new FakePrimary();
             ZoneFollower follower = new ZoneFollower("127.0.0.1", primary.port(), new ZoneRecords(CONFIG), new ZoneData(), null)) {
            primary.serve(10, 1);
            assertTrue(follower.refresh());
            assertEquals(List.of(Type.AXFR), primary.asked());
            primary.serve(11, 2);
            assertTrue(follower.refresh());
            assertEquals(List.of(Type.AXFR, Type.IXFR, Type.AXFR), primary.asked(), "IXFR, then AXFR after its NOTIMP");
        }
    }

    @Test
    void aTransferOverTheRecordCapIsRefusedAndTheLoadedDataStays() throws Exception {
        try (FakePrimary primary = new FakePrimary()) {
            ZoneData copy = new ZoneData();
            try (ZoneFollower follower = new ZoneFollower("127.0.0.1", primary.port(), new ZoneRecords(CONFIG), copy, null,
                    ZoneFreshness.always(), 20)) {
                primary.serve(10, 21); // 21 A records and the two SOAs
                assertFalse(follower.refresh(), "the first transfer is capped too");
                assertEquals(0, copy.serial());
                primary.serve(10, 18);
                assertTrue(follower.refresh(), "18 A records and the two SOAs are within 20");
                assertEquals(10, copy.serial());
                primary.serve(11, 40);
                assertFalse(follower.refresh());
                assertEquals(10, copy.serial(), "the loaded data stays");
                assertEquals(0, copy.snapshot().codeV4(v4("10.0.0.30"), null));
                assertEquals(2, copy.snapshot().codeV4(v4("10.0.0.17"), null));
            }
        }
    }

    @Test
    void theRecordCapIsAnOptionWithAGenerousDefault() {
        Map<String, String> given = Map.of("trustbl.dns.primary", "127.0.0.1:5353");
        assertEquals(ZoneFollower.DEFAULT_MAX_TRANSFER_RECORDS, StandaloneSettings.from(given::get).maxTransferRecords());
        assertEquals(20_000_000L, ZoneFollower.DEFAULT_MAX_TRANSFER_RECORDS);
        Map<String, String> set = Map.of("trustbl.dns.primary", "127.0.0.1:5353", "trustbl.dns.max-transfer-records", "5000");
        assertEquals(5000, StandaloneSettings.from(set::get).maxTransferRecords());
        Map<String, String> bad = Map.of("trustbl.dns.max-transfer-records", "0");
        assertThrows(IllegalArgumentException.class, () -> StandaloneSettings.from(bad::get));
        assertTrue(StandaloneOptions.forKey("trustbl.dns.max-transfer-records") != null, "declared for --help");
    }

    @Test
    void thePrimarysSoaExpireIsClampedToFourWeeks() throws Exception {
        ZoneData primaryData = new ZoneData();
        primaryData.replaceAll(10, List.of(new ListingRecord("192.0.2.1", 2, 1f)));
        DnsConfig pc = CONFIG.toBuilder().soa("ns.trustbl.test", "hostmaster.trustbl.test", 60, 30, Integer.MAX_VALUE).build();
        ZoneFreshness freshness = ZoneFreshness.failClosed(Duration.ofSeconds(604_800));
        try (DnsServer primary = DnsServer.start(pc, primaryData);
             ZoneFollower follower = new ZoneFollower("127.0.0.1", primary.boundPort(), new ZoneRecords(CONFIG), new ZoneData(),
                     null, freshness)) {
            assertTrue(follower.refresh());
            assertEquals(ZoneFollower.MAX_EXPIRE.toSeconds(), freshness.expireSeconds(), "68 years would never fail closed");
            assertEquals(28 * 86_400, ZoneFollower.MAX_EXPIRE.toSeconds());
        }
    }

    @Test
    void notifiesStartAtMostOneRefreshPerInterval() throws Exception {
        ZoneData primaryData = new ZoneData();
        primaryData.replaceAll(10, List.of(new ListingRecord("192.0.2.1", 2, 1f)));
        try (DnsServer primary = DnsServer.start(CONFIG, primaryData)) {
            ZoneData copy = new ZoneData();
            try (ZoneFollower follower = new ZoneFollower("127.0.0.1", primary.boundPort(), new ZoneRecords(CONFIG), copy, null)) {
                // the first NOTIFY (nothing refreshed lately) is acted on at once
                follower.notified();
                Eventually.await("the first NOTIFY's transfer", Duration.ofSeconds(5), () -> copy.serial() == 10);
                long afterFirst = follower.refreshes();
                primaryData.apply(11, List.of(new ListingRecord("203.0.113.7", 2, 1f)));
                long t0 = System.nanoTime();
                for (int i = 0; i < 20; i++) {
                    follower.notified();
                    Thread.sleep(50);
                }
                long burstMillis = (System.nanoTime() - t0) / 1_000_000;
                if (burstMillis < ZoneFollower.NOTIFY_MIN_INTERVAL.toMillis() - 500) {
                    assertEquals(afterFirst, follower.refreshes(), "a burst of NOTIFYs right after a refresh starts none at once");
                }
                // but none is lost: one refresh follows within the interval
                Eventually.await("the delayed refresh", ZoneFollower.NOTIFY_MIN_INTERVAL.plusSeconds(5), () -> copy.serial() == 11);
                assertEquals(afterFirst + 1, follower.refreshes(), "one refresh for the whole burst");
            }
        }
    }

    @Test
    void aTsigReplicaFollowsItsPrimaryThroughSignedNotifies() throws Exception {
        String secret = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
        String keySpec = "xfr-key:hmac-sha256:" + secret;
        TSIG key = Main.parseTsig(keySpec);
        ZoneData primaryData = new ZoneData();
        primaryData.replaceAll(10, List.of(new ListingRecord("192.0.2.1", 2, 1f)));
        ZoneData copy = new ZoneData();
        DnsConfig rc = CONFIG.toBuilder().tsigKey(keySpec).build();
        AtomicInteger notifies = new AtomicInteger();
        try (DnsServer replica = DnsServer.start(rc, copy, new TrafficCounters(), ZoneFreshness.always());
             DnsServer primary = DnsServer.start(CONFIG.toBuilder().tsigKey(keySpec)
                     .notifyTargets(List.of(new InetSocketAddress("127.0.0.1", replica.boundPort()))).build(), primaryData);
             ZoneFollower follower = new ZoneFollower("127.0.0.1", primary.boundPort(), new ZoneRecords(rc), copy, key)) {
            replica.onNotify(List.of("127.0.0.1"), a -> {
                notifies.incrementAndGet();
                follower.notified();
            });
            primaryData.apply(11, List.of(new ListingRecord("203.0.113.7", 2, 1f)));
            Eventually.await("AXFR after the first signed NOTIFY", Duration.ofSeconds(5), () -> copy.serial() == 11);
            primaryData.apply(12, List.of(ListingRecord.removal("192.0.2.1")));
            Eventually.await("IXFR after the next", ZoneFollower.NOTIFY_MIN_INTERVAL.plusSeconds(5), () -> copy.serial() == 12);
            assertEquals(0, copy.snapshot().codeV4(v4("192.0.2.1"), null));
            assertTrue(notifies.get() >= 2);
            Eventually.await("every NOTIFY acknowledged, signed", Duration.ofSeconds(5),
                    () -> primary.notifiesAcked() == primary.notifiesSent());
        }
    }

    /**
     * A primary that answers IXFR with NOTIMP (so the follower falls back to AXFR) and AXFR with
     * its serial and {@code count} listings 10.0.0.0, 10.0.0.1, ... in one message.
     */
    private static final class FakePrimary implements AutoCloseable {

        private final ServerSocket socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        private final AtomicLong serial = new AtomicLong();
        private final AtomicInteger count = new AtomicInteger();
        private final Thread thread = new Thread(this::run, "fake-primary");
        private final ZoneRecords records = new ZoneRecords(CONFIG);
        private final List<Integer> asked = new java.util.concurrent.CopyOnWriteArrayList<>();

        FakePrimary() throws Exception {
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        /** The query types asked so far. */
        List<Integer> asked() {
            return List.copyOf(asked);
        }

        void serve(long serial, int count) {
            this.serial.set(serial);
            this.count.set(count);
        }

        private void run() {
            while (!socket.isClosed()) {
                try (Socket s = socket.accept()) {
                    s.setSoTimeout(5000);
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    DataOutputStream out = new DataOutputStream(s.getOutputStream());
                    while (true) { // dnsjava asks for the AXFR on the connection its IXFR got NOTIMP on
                        byte[] q = new byte[in.readUnsignedShort()];
                        in.readFully(q);
                        byte[] w = answer(new Message(q)).toWire();
                        out.writeShort(w.length);
                        out.write(w);
                        out.flush();
                    }
                } catch (Exception e) {
                    // closed, or a client that went away
                }
            }
        }

        private Message answer(Message query) throws Exception {
            Message r = new Message(query.getHeader().getID());
            r.getHeader().setFlag(Flags.QR);
            r.addRecord(query.getQuestion(), Section.QUESTION);
            asked.add(query.getQuestion().getType());
            if (query.getQuestion().getType() == Type.IXFR) {
                r.getHeader().setRcode(Rcode.NOTIMP);
                return r;
            }
            r.getHeader().setFlag(Flags.AA);
            r.addRecord(records.soa(serial.get()), Section.ANSWER);
            for (int i = 0; i < count.get(); i++) {
                r.addRecord(new ARecord(Name.fromString(i + ".0.0.10." + ZONE), DClass.IN, 300,
                        InetAddress.getByName("127.0.0.2")), Section.ANSWER);
            }
            r.addRecord(records.soa(serial.get()), Section.ANSWER);
            return r;
        }

        @Override
        public void close() throws Exception {
            socket.close();
            thread.join(5000);
        }
    }
}
