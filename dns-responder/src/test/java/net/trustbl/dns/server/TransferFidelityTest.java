package net.trustbl.dns.server;

import net.trustbl.dns.config.DnsConfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import net.trustbl.dns.index.Ip;
import net.trustbl.dns.index.ListingRecord;
import net.trustbl.dns.index.ZoneData;
import net.trustbl.dns.zone.TxtTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.ZoneTransferIn;

/**
 * A standard secondary serving our AXFR must answer every IP name as we do. The secondary is
 * modelled by a small RFC 1034 4.3.2 / RFC 4592 resolver over the transferred record set (exact
 * match, empty non-terminals, closest encloser, source of synthesis), fed nested data: singles and
 * a /24 inside a /16, a /24 inside a /22 inside a /8, IPv6 prefixes inside prefixes.
 */
class TransferFidelityTest {

    static final String ZONE = "bl.trustbl.test.";
    static final String TEMPLATE = "Listed by TrustBL: https://trustbl.example/lookup/$";

    static final List<ListingRecord> DATA = List.of(
            new ListingRecord("198.51.0.0/16", 5, 1f),
            new ListingRecord("198.51.100.7", 2, 1f),
            new ListingRecord("198.51.7.0/24", 3, 1f),
            new ListingRecord("198.51.7.9", 4, 1f),
            new ListingRecord("10.0.0.0/8", 7, 1f),
            new ListingRecord("10.20.0.0/22", 6, 1f),
            new ListingRecord("10.20.1.0/24", 8, 1f),
            new ListingRecord("10.20.1.5", 9, 1f),
            new ListingRecord("10.30.40.50", 10, 1f),
            new ListingRecord("192.0.2.1", 2, 1f),
            new ListingRecord("2001:db8::/32", 5, 1f),
            new ListingRecord("2001:db8:1::/48", 6, 1f),
            new ListingRecord("2001:db8:1::1", 2, 1f),
            new ListingRecord("2001:db8:ab00::/40", 3, 1f));

    DnsServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** One answer reduced to what a DNSBL client sees. */
    record Answer(int rcode, List<Integer> codes, List<String> texts) { }

    // ------------------------------------------------------------------ the secondary model

    static final class Secondary {
        final Map<Name, List<Record>> byOwner = new HashMap<>();
        final Set<Name> nodes = new HashSet<>();
        final Name zone;

        Secondary(Name zone, List<Record> axfr) {
            this.zone = zone;
            for (Record r : axfr) {
                if (r.getType() == Type.SOA || r.getType() == Type.NS) {
                    continue;
                }
                byOwner.computeIfAbsent(r.getName(), k -> new ArrayList<>()).add(r);
                for (Name n = r.getName(); n.labels() > zone.labels(); n = parent(n)) {
                    nodes.add(n);
                }
            }
        }

        static Name parent(Name n) {
            return new Name(n, 1);
        }

        Answer resolve(Name q) {
            List<Record> rrs = byOwner.get(q);
            if (rrs == null) {
                if (nodes.contains(q)) {
                    return new Answer(Rcode.NOERROR, List.of(), List.of()); // empty non-terminal
                }
                Name encloser = parent(q);
                while (encloser.labels() > zone.labels() && !nodes.contains(encloser)) {
                    encloser = parent(encloser);
                }
                Name wild;
                try {
                    wild = Name.concatenate(Name.fromConstantString("*"), encloser);
                } catch (org.xbill.DNS.NameTooLongException e) {
                    throw new IllegalStateException(e);
                }
                rrs = byOwner.get(wild);
                if (rrs == null) {
                    return new Answer(Rcode.NXDOMAIN, List.of(), List.of());
                }
            }
            return reduce(Rcode.NOERROR, rrs);
        }
    }

    static Answer reduce(int rcode, List<Record> rrs) {
        List<Integer> codes = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (Record r : rrs) {
            if (r instanceof ARecord a) {
                codes.add(a.getAddress().getAddress()[3] & 255);
            } else if (r instanceof TXTRecord t) {
                texts.add(String.join("", t.getStrings()));
            }
        }
        codes.sort(null);
        texts.sort(null);
        return new Answer(rcode, codes, texts);
    }

    // ------------------------------------------------------------------ expectations

    /** The most specific entry of DATA containing an address (what we answer from), or null. */
    static Ip.Block mostSpecific(Ip.Block ip) {
        Ip.Block best = null;
        for (ListingRecord r : DATA) {
            Ip.Block b = Ip.parseBlock(r.cidr());
            if (b.v6() != ip.v6() || b.prefix() > ip.prefix()) {
                continue;
            }
            boolean inside = b.v6()
                    ? (ip.hi() & Ip.maskHi(b.prefix())) == b.hi() && (ip.lo() & Ip.maskLo(b.prefix())) == b.lo()
                    : ((int) ip.lo() & Ip.mask4(b.prefix())) == (int) b.lo();
            if (inside && (best == null || b.prefix() > best.prefix())) {
                best = b;
            }
        }
        return best;
    }

    static Name name(Ip.Block ip) throws Exception {
        StringBuilder sb = new StringBuilder();
        if (ip.v6()) {
            for (int i = 31; i >= 0; i--) {
                long w = i < 16 ? ip.hi() : ip.lo();
                sb.append(Character.forDigit((int) (w >>> (60 - 4 * (i % 16))) & 15, 16)).append('.');
            }
        } else {
            int v = (int) ip.lo();
            sb.append(v & 255).append('.').append((v >>> 8) & 255).append('.').append((v >>> 16) & 255).append('.')
                    .append(v >>> 24).append('.');
        }
        return Name.fromString(sb + ZONE);
    }

    List<Ip.Block> probes() {
        List<String> fixed = new ArrayList<>(List.of(
                "198.51.100.7", "198.51.100.8", "198.51.100.200", "198.51.5.5", "198.51.7.1", "198.51.7.9",
                "198.51.0.1", "198.52.0.1", "10.20.1.5", "10.20.1.6", "10.20.2.1", "10.20.3.255", "10.20.4.1",
                "10.30.40.50", "10.30.40.51", "10.30.41.1", "10.99.0.1", "10.0.0.1", "192.0.2.1", "192.0.2.2",
                "127.0.0.2", "8.8.8.8",
                "2001:db8::5", "2001:db8:1::1", "2001:db8:1::2", "2001:db8:1:ffff::9", "2001:db8:2::1",
                "2001:db8:ab12::1", "2001:db8:ac00::1", "2001:db9::1", "2001:db8:0:1::1"));
        Random rnd = new Random(7);
        for (int i = 0; i < 300; i++) {
            fixed.add("198.51." + pick(rnd, 5, 7, 100) + "." + rnd.nextInt(256));
            fixed.add("10." + pick(rnd, 20, 30, 99) + "." + rnd.nextInt(5) + "." + rnd.nextInt(256));
            fixed.add(String.format("2001:db8:%x::%x", pick(rnd, 0, 1, 0xab42), rnd.nextInt(65536)));
        }
        List<Ip.Block> out = new ArrayList<>();
        for (String s : fixed) {
            out.add(Ip.parseBlock(s));
        }
        return out;
    }

    private static int pick(Random rnd, int... v) {
        return rnd.nextInt(4) == 0 ? rnd.nextInt(256) : v[rnd.nextInt(v.length)];
    }

    // ------------------------------------------------------------------ the test

    @Test
    void aStandardSecondaryAnswersEveryIpNameAsThePrimaryDoes() throws Exception {
        ZoneData data = new ZoneData();
        data.replaceAll(100, DATA);
        server = DnsServer.start(DnsConfig.builder().bind("127.0.0.1", 0).txtTemplate(TEMPLATE).udpThreads(1)
                .rrlResponsesPerSecond(0).build(), data);
        Name zone = Name.fromString(ZONE);
        ZoneTransferIn axfr = ZoneTransferIn.newAXFR(zone, "127.0.0.1", server.boundPort(), null);
        axfr.run();
        Secondary secondary = new Secondary(zone, axfr.getAXFR());
        SimpleResolver primary = new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.boundPort()));
        primary.setTimeout(Duration.ofSeconds(3));
        TxtTemplate template = new TxtTemplate(TEMPLATE);
        int listed = 0;
        for (Ip.Block ip : probes()) {
            Name q = name(ip);
            Message a = primary.send(Message.newQuery(Record.newRecord(q, Type.A, DClass.IN)));
            Message t = primary.send(Message.newQuery(Record.newRecord(q, Type.TXT, DClass.IN)));
            List<Record> both = new ArrayList<>(a.getSection(Section.ANSWER));
            both.addAll(t.getSection(Section.ANSWER));
            Answer ours = reduce(a.getRcode(), both);
            Answer theirs = secondary.resolve(q);
            assertEquals(ours.rcode(), theirs.rcode(), "rcode for " + ip);
            assertEquals(ours.codes(), theirs.codes(), "A for " + ip);
            if (ours.rcode() != Rcode.NOERROR) {
                continue;
            }
            listed++;
            Ip.Block from = mostSpecific(ip);
            if (from == null || from.prefix() == (ip.v6() ? 128 : 32)) {
                // a single address (or a test point): the same text
                assertEquals(ours.texts(), theirs.texts(), "TXT for " + ip);
            } else {
                // a block: a zone file cannot put the queried IP into a wildcard's TXT, so the
                // secondary names the (label-aligned) block we answered from
                int step = ip.v6() ? 4 : 8;
                int aligned = ((from.prefix() + step - 1) / step) * step;
                Ip.Block piece = ip.v6()
                        ? new Ip.Block(true, ip.hi() & Ip.maskHi(aligned), ip.lo() & Ip.maskLo(aligned), aligned)
                        : new Ip.Block(false, 0, (ip.lo() & (Ip.mask4(aligned) & 0xffffffffL)), aligned);
                assertEquals(List.of(template.render(piece.toString())), theirs.texts(), "TXT for " + ip);
                assertEquals(List.of(template.render(ip.toString())), ours.texts(), "our TXT for " + ip);
            }
        }
        assertTrue(listed > 500, "most probes are listed: " + listed);
        assertFalse(secondary.byOwner.isEmpty());
    }

    @Test
    void ixfrFallsBackToTheFullZoneWhenAChangeTouchesABlock() throws Exception {
        ZoneData data = new ZoneData();
        data.replaceAll(100, DATA);
        server = DnsServer.start(DnsConfig.builder().bind("127.0.0.1", 0).udpThreads(1).build(), data);
        Name zone = Name.fromString(ZONE);
        // a single outside every block: an incremental step
        data.apply(101, List.of(new ListingRecord("203.0.113.9", 2, 1f)));
        ZoneTransferIn ixfr = ZoneTransferIn.newIXFR(zone, 100, false, "127.0.0.1", server.boundPort(), null);
        ixfr.run();
        assertTrue(ixfr.isIXFR());
        // a single inside the /16 creates a node that needs its own wildcard: the whole zone
        data.apply(102, List.of(new ListingRecord("198.51.200.1", 2, 1f)));
        ZoneTransferIn again = ZoneTransferIn.newIXFR(zone, 101, false, "127.0.0.1", server.boundPort(), null);
        again.run();
        assertTrue(again.isAXFR(), "answered as a full zone");
        assertTrue(again.getAXFR().stream().anyMatch(r -> r.getName().toString().equals("*.200.51.198." + ZONE)));
    }
}
