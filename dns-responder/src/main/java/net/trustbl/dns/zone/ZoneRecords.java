package net.trustbl.dns.zone;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import net.trustbl.dns.index.Ip;
import net.trustbl.dns.index.ListingRecord;
import net.trustbl.dns.index.ZoneIndex;
import net.trustbl.dns.index.ZoneSnapshot;
import net.trustbl.dns.config.DnsConfig;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;

/**
 * The zone as DNS records (dnsjava), for everything off the fast path: the apex, zone transfers
 * (AXFR/IXFR) and turning a transferred zone back into listings. A block that is not on a label
 * boundary (octet for IPv4, nibble for IPv6) is expanded into boundary-aligned pieces; an aligned
 * block becomes a wildcard ({@code *.2.0.192.zone}). Exclusions cannot be expressed in a standard
 * zone and are left out of transfers.
 */
public final class ZoneRecords {

    /** A block that would expand into more names than this is left out of transfers. */
    public static final int MAX_EXPANSION = 65_536;

    private final DnsConfig config;
    private final Name zone;
    private final Name mname;
    private final Name rname;
    private final List<Name> ns;
    private final TxtTemplate template;
    /** The third octet of A answers: 0 for the list (127.0.0.x), 10 for the allow zone (127.0.10.x). */
    private final int answerNet;

    /** The records of the primary zone (the first of {@link DnsConfig#zones()}). */
    public ZoneRecords(DnsConfig config) {
        this(config, config.primaryZone());
    }

    /** The records under one of the configured zone names; all names share SOA/NS targets and the template. */
    public ZoneRecords(DnsConfig config, String zoneName) {
        this(config, zoneName, config.txtTemplate(), 0);
    }

    /** The allow zone's records: trusted senders answer 127.0.10.x with their own TXT text. */
    public static ZoneRecords allowZone(DnsConfig config) {
        return new ZoneRecords(config, config.allowZone(), config.allowTxtTemplate(), ALLOW_NET);
    }

    /** Third octet of the allow zone's answers (127.0.10.x). */
    public static final int ALLOW_NET = 10;

    private ZoneRecords(DnsConfig config, String zoneName, String txtTemplate, int answerNet) {
        this.config = config;
        this.answerNet = answerNet;
        try {
            this.zone = Name.fromString(zoneName + ".");
            this.mname = Name.fromString(absolute(config.soaMname()));
            this.rname = Name.fromString(absolute(config.soaRname()));
            List<Name> n = new ArrayList<>();
            for (String s : config.nsNames()) {
                n.add(Name.fromString(absolute(s)));
            }
            this.ns = List.copyOf(n);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("bad zone or SOA/NS name: " + e.getMessage(), e);
        }
        this.template = new TxtTemplate(txtTemplate);
    }

    private static String absolute(String s) {
        return s.endsWith(".") ? s : s + ".";
    }

    public Name zone() {
        return zone;
    }

    public TxtTemplate template() {
        return template;
    }

    public int answerNet() {
        return answerNet;
    }

    public DnsConfig config() {
        return config;
    }

    /** The SOA for a serial; its TTL and MINIMUM are the negative TTL (RFC 2308). */
    public SOARecord soa(long serial) {
        return new SOARecord(zone, DClass.IN, config.negativeTtl(), mname, rname, serial & 0xffffffffL,
                config.soaRefresh(), config.soaRetry(), config.soaExpire(), config.negativeTtl());
    }

    public List<Record> nsRecords() {
        List<Record> out = new ArrayList<>();
        for (Name n : ns) {
            out.add(new NSRecord(zone, DClass.IN, config.listedTtl(), n));
        }
        return out;
    }

    public boolean isNsName(Name n) {
        return ns.contains(n) || mname.equals(n);
    }

    public ARecord a(Name owner, int code) {
        try {
            return new ARecord(owner, DClass.IN, config.listedTtl(), InetAddress.getByAddress(new byte[] {127, 0, (byte) answerNet, (byte) code}));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    public TXTRecord txt(Name owner, String ipText) {
        return new TXTRecord(owner, DClass.IN, config.listedTtl(), template.splitForTxt(ipText));
    }

    /** A label-aligned block: a wildcard owner ({@code *.c.b.a}) when level is below 32 / 128. */
    private record Node(boolean v6, long hi, long lo, int level) { }

    /** What a wildcard answers: the code, the TXT block text, and the prefix of the listing it came from. */
    private record Piece(int code, String text, int sourcePrefix) { }

    private static Node node(boolean v6, long hi, long lo, int level) {
        if (v6) {
            return new Node(true, hi & Ip.maskHi(level), lo & Ip.maskLo(level), level);
        }
        return new Node(false, 0, lo & (Ip.mask4(level) & 0xffffffffL), level);
    }

    /**
     * All records of the listing body (no SOA/NS): test points, single addresses, wildcards for
     * blocks, and the wildcards that keep a standard secondary's answers equal to ours. RFC 4592:
     * a wildcard {@code *.b.a} does not answer below an existing node {@code c.b.a} (one that has a
     * listed {@code d.c.b.a} or {@code *.c.b.a} below it), so every such node inside a listed block
     * gets its own {@code *.c.b.a} with the A/TXT of the most specific block covering it. Where two
     * blocks expand to the same wildcard (a /24 inside a /22) the more specific one wins, as in our
     * own longest-prefix answers.
     */
    public void bodyRecords(ZoneSnapshot snap, Consumer<Record> out) {
        ZoneIndex idx = snap.index();
        // 1. the wildcard pieces of all blocks (few, compared with single addresses)
        Map<Node, Piece> pieces = new HashMap<>();
        idx.forEach((v6, h, l, prefix, code, score) -> {
            if (code > 0 && prefix < (v6 ? 128 : 32)) {
                expand(v6, h, l, prefix, (pHi, pLo, aligned) -> {
                    if (aligned == (v6 ? 128 : 32)) {
                        return; // a block that expands to single names: no wildcard
                    }
                    Node n = new Node(v6, pHi, pLo, aligned);
                    Piece old = pieces.get(n);
                    if (old == null || old.sourcePrefix() < prefix) {
                        pieces.put(n, new Piece(code, new Ip.Block(v6, pHi, pLo, aligned).toString(), prefix));
                    }
                });
            }
        });
        boolean[] levels4 = new boolean[33];
        boolean[] levels6 = new boolean[129];
        for (Node n : pieces.keySet()) {
            (n.v6() ? levels6 : levels4)[n.level()] = true;
        }
        // 2. nodes inside a wildcard's scope that would occlude it get their own wildcard
        Map<Node, Piece> fixups = new HashMap<>();
        Map<Node, Boolean> seen = new HashMap<>();
        for (Node n : pieces.keySet()) {
            occlusions(n.v6(), n.hi(), n.lo(), n.level(), pieces, levels4, levels6, fixups, seen);
        }
        // 3. write: test points, singles (streamed: there may be millions), pieces, fix-ups
        int tp = ZoneSnapshot.TEST_POINT_LISTED_V4;
        if (idx.findV4(tp) == ZoneIndex.NONE || ZoneIndex.code(idx.findV4(tp)) != 2) {
            entryRecords(false, 0, tp & 0xffffffffL, 32, 2, out);
        }
        occlusions(false, 0, tp & 0xffffffffL, 32, pieces, levels4, levels6, fixups, seen);
        long hi = ZoneSnapshot.TEST_POINT_V6_HI;
        long lo = ZoneSnapshot.TEST_POINT_LISTED_V6_LO;
        if (idx.findV6(hi, lo) == ZoneIndex.NONE || ZoneIndex.code(idx.findV6(hi, lo)) != 2) {
            entryRecords(true, hi, lo, 128, 2, out);
        }
        occlusions(true, hi, lo, 128, pieces, levels4, levels6, fixups, seen);
        boolean anyPieces = !pieces.isEmpty();
        idx.forEach((v6, h, l, prefix, code, score) -> {
            if (code <= 0 || isTestPoint(v6, h, l, prefix)) {
                return; // 127.0.0.1 is never listed; 127.0.0.2 was written above
            }
            if (prefix == (v6 ? 128 : 32)) {
                entryRecords(v6, h, l, prefix, code, out);
                if (anyPieces) {
                    occlusions(v6, h, l, prefix, pieces, levels4, levels6, fixups, seen);
                }
            } else {
                // a block that is not label-aligned below its wildcards may expand to single names
                expand(v6, h, l, prefix, (pHi, pLo, aligned) -> {
                    if (aligned == (v6 ? 128 : 32)) {
                        entryRecords(v6, pHi, pLo, aligned, code, out);
                        if (anyPieces) {
                            occlusions(v6, pHi, pLo, aligned, pieces, levels4, levels6, fixups, seen);
                        }
                    }
                });
            }
        });
        for (Map.Entry<Node, Piece> e : pieces.entrySet()) {
            pieceRecords(e.getKey(), e.getValue(), out);
        }
        for (Map.Entry<Node, Piece> e : fixups.entrySet()) {
            pieceRecords(e.getKey(), e.getValue(), out);
        }
    }

    private void pieceRecords(Node n, Piece p, Consumer<Record> out) {
        Name owner = ownerName(n.v6(), n.hi(), n.lo(), n.level());
        out.accept(a(owner, p.code()));
        out.accept(txt(owner, p.text()));
    }

    /**
     * For the name of a block at {@code level} (a single address or a wildcard's parent), every
     * ancestor node that lies inside a shallower wildcard and has no wildcard of its own gets one
     * (into {@code fixups}) answering like the most specific wildcard above it.
     */
    private static void occlusions(boolean v6, long hi, long lo, int level, Map<Node, Piece> pieces,
                                   boolean[] levels4, boolean[] levels6, Map<Node, Piece> fixups, Map<Node, Boolean> seen) {
        int step = v6 ? 4 : 8;
        boolean[] levels = v6 ? levels6 : levels4;
        // the nodes of this name are its ancestors at each label boundary (the name itself for a
        // wildcard's parent; for a single address the name is a leaf and needs nothing)
        int top = level == (v6 ? 128 : 32) ? level - step : level;
        boolean inside = false; // names outside every block (most singles) need nothing, nor memory
        for (int p = top - step; p >= 0 && !inside; p -= step) {
            inside = levels[p] && pieces.containsKey(node(v6, hi, lo, p));
        }
        if (!inside) {
            return;
        }
        for (int q = top; q > 0; q -= step) {
            Node n = node(v6, hi, lo, q);
            if (seen.putIfAbsent(n, Boolean.TRUE) != null) {
                return; // this node and all above it were handled already
            }
            if (pieces.containsKey(n)) {
                continue; // its own wildcard answers below it
            }
            for (int p = q - step; p >= 0; p -= step) {
                if (levels[p]) {
                    Piece cover = pieces.get(node(v6, hi, lo, p));
                    if (cover != null) {
                        fixups.put(n, cover);
                        break;
                    }
                }
            }
        }
    }

    private interface PieceSink {
        void piece(long hi, long lo, int alignedPrefix);
    }

    /** The label-aligned pieces of a block (at most {@link #MAX_EXPANSION}; larger blocks give none). */
    private static void expand(boolean v6, long hi, long lo, int prefix, PieceSink sink) {
        int step = v6 ? 4 : 8;
        int aligned = ((prefix + step - 1) / step) * step;
        int bits = aligned - prefix;
        if (bits > 16) {
            return;
        }
        int pieces = 1 << bits;
        for (int k = 0; k < pieces; k++) {
            long pHi = hi;
            long pLo = lo;
            if (v6) {
                int shift = 128 - aligned;
                if (shift >= 64) {
                    pHi = hi | ((long) k << (shift - 64));
                } else {
                    pLo = lo | ((long) k << shift);
                }
            } else {
                pLo = (lo | ((long) k << (32 - aligned))) & 0xffffffffL;
            }
            sink.piece(pHi, pLo, aligned);
        }
    }

    private static boolean isTestPoint(boolean v6, long hi, long lo, int prefix) {
        if (v6) {
            return prefix == 128 && hi == 0 && (lo == ZoneSnapshot.TEST_POINT_LISTED_V6_LO
                    || lo == ZoneSnapshot.TEST_POINT_UNLISTED_V6_LO);
        }
        return prefix == 32 && ((int) lo == ZoneSnapshot.TEST_POINT_LISTED_V4 || (int) lo == ZoneSnapshot.TEST_POINT_UNLISTED_V4);
    }

    /** Records of one listing record (as kept in the IXFR history). */
    public void listingRecords(ListingRecord r, Consumer<Record> out) {
        Ip.Block b = Ip.parseBlock(r.cidr());
        if (isTestPoint(b.v6(), b.hi(), b.lo(), b.prefix())) {
            return;
        }
        entryRecords(b.v6(), b.hi(), b.lo(), b.prefix(), r.returnCode(), out);
    }

    /** A and TXT records for one entry, expanded to label boundaries; exclusions produce nothing. */
    public void entryRecords(boolean v6, long hi, long lo, int prefix, int code, Consumer<Record> out) {
        if (code <= 0) {
            return;
        }
        expand(v6, hi, lo, prefix, (pHi, pLo, aligned) -> {
            Name owner = ownerName(v6, pHi, pLo, aligned);
            boolean single = aligned == (v6 ? 128 : 32);
            String text = single ? (v6 ? Ip.formatV6(pHi, pLo) : Ip.formatV4((int) pLo))
                    : new Ip.Block(v6, pHi, pLo, aligned).toString();
            out.accept(a(owner, code));
            out.accept(txt(owner, text));
        });
    }

    /** The owner name of a boundary-aligned block: exact for a single address, wildcard otherwise. */
    public Name ownerName(boolean v6, long hi, long lo, int alignedPrefix) {
        StringBuilder sb = new StringBuilder(80);
        if (v6) {
            int nibbles = alignedPrefix / 4;
            if (nibbles < 32) {
                sb.append("*.");
            }
            for (int i = nibbles - 1; i >= 0; i--) {
                long word = i < 16 ? hi : lo;
                int shift = 60 - 4 * (i % 16);
                sb.append(Character.forDigit((int) (word >>> shift) & 15, 16)).append('.');
            }
        } else {
            int octets = alignedPrefix / 8;
            if (octets < 4) {
                sb.append("*.");
            }
            for (int i = octets - 1; i >= 0; i--) {
                sb.append((lo >>> (24 - 8 * i)) & 255).append('.');
            }
        }
        sb.setLength(sb.length() - 1); // relative to the zone: no trailing dot
        try {
            return Name.fromString(sb.toString(), zone);
        } catch (TextParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The block named by an owner under the zone ({@code 4.3.2.1.zone}, {@code *.2.1.zone}, nibble
     * names), or null when the name is not a listing name.
     */
    public Ip.Block blockOf(Name owner) {
        if (!owner.subdomain(zone) || owner.equals(zone)) {
            return null;
        }
        int rel = owner.labels() - zone.labels();
        boolean wild = owner.isWild();
        int first = wild ? 1 : 0;
        int count = rel - first;
        if (count <= 0) {
            return null;
        }
        String[] labels = new String[count];
        for (int i = 0; i < count; i++) {
            labels[i] = owner.getLabelString(first + i);
        }
        boolean allOctets = count <= 4;
        for (String l : labels) {
            if (Ip.parseV4(l + ".0.0.0") < 0) {
                allOctets = false;
                break;
            }
        }
        if (allOctets && (wild || count == 4) && !(wild && count == 4)) {
            long v = 0;
            for (int i = count - 1; i >= 0; i--) {
                v = (v << 8) | Integer.parseInt(labels[i]);
            }
            v <<= 8 * (4 - count);
            return new Ip.Block(false, 0, v & 0xffffffffL, count * 8);
        }
        if (count <= 32 && (wild || count == 32) && !(wild && count == 32)) {
            long hi = 0;
            long lo = 0;
            for (int i = 0; i < count; i++) {
                String l = labels[count - 1 - i];
                if (l.length() != 1 || Character.digit(l.charAt(0), 16) < 0) {
                    return null;
                }
                int d = Character.digit(l.charAt(0), 16);
                if (i < 16) {
                    hi |= (long) d << (60 - 4 * i);
                } else {
                    lo |= (long) d << (60 - 4 * (i - 16));
                }
            }
            return new Ip.Block(true, hi, lo, count * 4);
        }
        return null;
    }
}
