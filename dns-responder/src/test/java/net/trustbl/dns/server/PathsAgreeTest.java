package net.trustbl.dns.server;

import net.trustbl.dns.config.DnsConfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import net.trustbl.dns.index.ListingRecord;
import net.trustbl.dns.index.MemberView;
import net.trustbl.dns.index.ZoneData;
import net.trustbl.dns.traffic.TrafficCounters;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The fast path (byte arrays) and the general path (dnsjava) give the same answer to every query
 * the fast path takes: same header, flags, rcode, records and TTLs, EDNS. What the fast path does
 * not take (out of zone, malformed, unknown keys, other types) it must leave to the general path.
 */
class PathsAgreeTest {

    static final String ZONE = "bl.trustbl.test.";
    static final String V6_LISTED = "5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.";
    static final String V6_UNLISTED = "5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.";

    FastPath fast;
    GeneralPath general;
    final InetAddress client = InetAddress.getLoopbackAddress();

    @BeforeEach
    void setUp() {
        ZoneData d = new ZoneData();
        d.replaceAll(7, List.of(new ListingRecord("192.0.2.1", 2, 1f), new ListingRecord("198.51.100.0/24", 3, 0.3f),
                new ListingRecord("2001:db8::/64", 3, 1f)));
        d.putMemberView(new MemberView("k1", 0.5, List.of("192.0.2.1"), List.of("203.0.113.0/24", "2001:db8:5::/48")));
        DnsConfig config = DnsConfig.builder().bind("127.0.0.1", 0).publicHost("trustbl.example").build();
        ServerContext ctx = new ServerContext(config, d, new DnsMetrics(), new TrafficCounters());
        Responder responder = new Responder(ctx, ctx.metrics.newStripe(), ctx.traffic.newStripe());
        fast = responder.fast();
        general = responder.general();
    }

    static byte[] query(String name, int type, int ednsPayload, boolean dnssecOk) throws Exception {
        Message q = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
        q.getHeader().setID(4242);
        if (ednsPayload > 0) {
            q.addRecord(new OPTRecord(ednsPayload, 0, 0, dnssecOk ? ExtendedFlags.DO : 0), Section.ADDITIONAL);
        }
        return q.toWire();
    }

    /** Both paths' answers to {@code q}, or null for the fast one when it leaves the query alone. */
    private String[] answers(byte[] q, boolean tcp) throws Exception {
        byte[] a = new byte[65536];
        byte[] b = new byte[65536];
        int n = fast.answer(q, q.length, a, tcp);
        int m;
        try {
            m = general.answer(q, q.length, b, tcp, client);
        } catch (RuntimeException e) {
            m = -2; // the responder answers SERVFAIL then; the fast path must not have taken such a query
        }
        if (n == FastPath.NOT_HANDLED) {
            return new String[] {null, null};
        }
        return new String[] {text(a, n), m > 0 ? text(b, m) : "no answer (" + m + ")"};
    }

    /** The parsed message as dig shows it, without the size (name compression differs). */
    private static String text(byte[] wire, int len) throws Exception {
        return new Message(Arrays.copyOf(wire, len)).toString().replaceAll(";; Message size: \\d+ bytes", "");
    }

    @Test
    void listedAndUnlistedNamesOfEveryKindAreAnsweredAlike() throws Exception {
        String[] names = {
            "1.2.0.192.", "2.2.0.192.", "7.100.51.198.", "2.0.0.127.", "1.0.0.127.", "9.9.9.9.",
            V6_LISTED, V6_UNLISTED, "1.2.0.192.k1.", "5.113.0.203.k1.", "7.100.51.198.K1.",
            V6_LISTED + "k1.", "1." + "0.".repeat(19) + "5.0.0.0.8.b.d.0.1.0.0.2.k1.", // 2001:db8:5::1, denied by k1
            "1.2.0.192.BL.TrustBL.test.",
        };
        int compared = 0;
        for (String name : names) {
            String full = name.endsWith("test.") ? name : name + ZONE;
            for (int type : new int[] {Type.A, Type.TXT, Type.ANY}) {
                for (int edns : new int[] {0, 1232, 4096}) {
                    for (boolean tcp : new boolean[] {false, true}) {
                        String[] both = answers(query(full, type, edns, edns == 4096), tcp);
                        String what = full + " " + Type.string(type) + " edns " + edns + (tcp ? " tcp" : " udp");
                        assertTrue(both[0] != null, "the fast path takes " + what);
                        assertEquals(both[1], both[0], what);
                        compared++;
                    }
                }
            }
        }
        assertEquals(names.length * 18, compared);
    }

    @Test
    void whatTheFastPathDoesNotTakeIsLeftToTheGeneralPath() throws Exception {
        byte[] listed = query("1.2.0.192." + ZONE, Type.A, 0, false);
        byte[][] others = {
            query("1.2.0.192.nosuchkey." + ZONE, Type.A, 0, false),   // unknown key: REFUSED
            query("1.2.0.192.example.org.", Type.A, 0, false),        // outside the zone: REFUSED
            query("1.2.0.192." + ZONE, Type.MX, 0, false),            // another type: NODATA
            query("2.0.192." + ZONE, Type.A, 0, false),               // partial name: NODATA
            query("01.2.0.192." + ZONE, Type.A, 0, false),            // not an address: NXDOMAIN
            query(ZONE, Type.SOA, 0, false),                          // apex
            Arrays.copyOf(listed, listed.length - 3),                 // malformed: cut short
            Arrays.copyOf(listed, 11),                                // shorter than a header
        };
        for (byte[] q : others) {
            assertEquals(null, answers(q, false)[0], Arrays.toString(q));
        }
    }

    @Test
    void mutatedQueriesThatTheFastPathTakesAreAnsweredAlike() throws Exception {
        byte[][] seeds = {
            query("1.2.0.192." + ZONE, Type.A, 0, false), query("9.9.9.9." + ZONE, Type.TXT, 1232, true),
            query(V6_LISTED + ZONE, Type.ANY, 0, false), query("5.113.0.203.k1." + ZONE, Type.TXT, 512, false),
        };
        Random rnd = new Random(20261202L);
        int compared = 0;
        for (int i = 0; i < 5_000; i++) {
            byte[] seed = seeds[rnd.nextInt(seeds.length)];
            byte[] q = seed.clone();
            // change a label character or the id and flags: names stay names, so many still parse
            int at = 12 + rnd.nextInt(q.length - 12 - 4);
            q[at] = (byte) "0123456789abcdefK.\u0001\u0003".charAt(rnd.nextInt(20));
            q[rnd.nextInt(4)] = (byte) rnd.nextInt(256);
            String[] both = answers(q, rnd.nextBoolean());
            if (both[0] != null) {
                assertEquals(both[1], both[0], Arrays.toString(q));
                compared++;
            }
        }
        assertTrue(compared > 500, "compared " + compared);
    }
}
