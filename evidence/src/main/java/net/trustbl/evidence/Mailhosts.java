package net.trustbl.evidence;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import net.trustbl.address.IpBlock;

/**
 * A member's registered mail hosts: the servers that receive their mail (SpamCop "mailhosts",
 * SpamAssassin {@code trusted_networks}). The Received walk passes through these hosts and
 * stops at the first host that is not one of them.
 *
 * <p>Entries are IP addresses, CIDR blocks or host names. A host name matches the reverse-DNS
 * name (or, for the receiving side, the {@code by} name) recorded in a Received line; a name
 * written {@code *.example.net} or {@code .example.net} matches every name below example.net.
 * Nothing is looked up in DNS: the walk must be repeatable and must not leak queries.
 */
public final class Mailhosts {

    /** More entries than any real mail setup needs; bounds the cost of every walk. */
    public static final int MAX_ENTRIES = 200;

    private static final Mailhosts NONE = new Mailhosts(List.of(), List.of(), List.of(), List.of());

    private final List<IpBlock> blocks;
    private final List<String> exactNames;
    private final List<String> suffixNames;
    private final List<String> entries;

    private Mailhosts(List<IpBlock> blocks, List<String> exactNames, List<String> suffixNames, List<String> entries) {
        this.blocks = blocks;
        this.exactNames = exactNames;
        this.suffixNames = suffixNames;
        this.entries = entries;
    }

    /** No registered mail hosts: the walk falls back to the top hop (weaker evidence). */
    public static Mailhosts none() {
        return NONE;
    }

    /**
     * Parses host names, IP addresses and CIDR blocks; blank entries are skipped.
     *
     * @throws IllegalArgumentException naming the first bad entry
     */
    public static Mailhosts parse(List<String> list) {
        if (list == null || list.isEmpty()) {
            return NONE;
        }
        List<IpBlock> blocks = new ArrayList<>();
        List<String> exact = new ArrayList<>();
        List<String> suffix = new ArrayList<>();
        List<String> canonical = new ArrayList<>();
        for (String raw : list) {
            if (raw == null || raw.isBlank()) {
                continue;
            }
            String entry = raw.trim();
            if (canonical.size() >= MAX_ENTRIES) {
                throw new IllegalArgumentException("too many mail hosts (at most " + MAX_ENTRIES + ")");
            }
            if (looksLikeAddress(entry)) {
                IpBlock block;
                try {
                    block = IpBlock.parse(entry);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("mail host '" + shorten(entry) + "' is not a valid IP address or CIDR block: "
                            + e.getMessage());
                }
                blocks.add(block);
                canonical.add(block.toString());
                continue;
            }
            String name = entry.toLowerCase(Locale.ROOT);
            boolean wildcard = false;
            if (name.startsWith("*.")) {
                name = name.substring(2);
                wildcard = true;
            } else if (name.startsWith(".")) {
                name = name.substring(1);
                wildcard = true;
            }
            if (name.endsWith(".")) {
                name = name.substring(0, name.length() - 1);
            }
            if (!isHostName(name)) {
                throw new IllegalArgumentException("mail host '" + shorten(entry)
                        + "' is not a host name, IP address or CIDR block");
            }
            if (wildcard) {
                suffix.add("." + name);
                canonical.add("*." + name);
            } else {
                exact.add(name);
                canonical.add(name);
            }
        }
        if (canonical.isEmpty()) {
            return NONE;
        }
        return new Mailhosts(List.copyOf(blocks), List.copyOf(exact), List.copyOf(suffix), Collections.unmodifiableList(canonical));
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The entries in canonical form (addresses canonical, names lower case, wildcards as *.name). */
    public List<String> entries() {
        return entries;
    }

    /** True when the single address lies inside one of the registered IP ranges. */
    public boolean containsAddress(IpBlock address) {
        if (address == null) {
            return false;
        }
        for (IpBlock b : blocks) {
            if (b.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** True when a host name (as recorded in a Received line) is one of the registered names. */
    public boolean matchesName(String hostName) {
        if (hostName == null || hostName.isEmpty()) {
            return false;
        }
        String n = hostName.toLowerCase(Locale.ROOT);
        if (n.endsWith(".")) {
            n = n.substring(0, n.length() - 1);
        }
        for (String e : exactNames) {
            if (e.equals(n)) {
                return true;
            }
        }
        for (String s : suffixNames) {
            if (n.endsWith(s)) {
                return true;
            }
        }
        return false;
    }

    private static boolean looksLikeAddress(String s) {
        if (s.indexOf(':') >= 0 || s.indexOf('/') >= 0) {
            return true;
        }
        // all digits and dots: an IPv4 address (or a broken one), never a host name
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c == '.' || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }

    /** LDH host name with at least two labels (a bare label cannot identify a public mail host). */
    static boolean isHostName(String name) {
        if (name.isEmpty() || name.length() > 253 || name.indexOf('.') < 0) {
            return false;
        }
        for (String label : name.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }

    private static String shorten(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }

    @Override
    public String toString() {
        return "Mailhosts" + entries;
    }
}
