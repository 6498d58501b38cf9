package net.trustbl.gateway.filter;

import net.trustbl.address.IpAddress;
import net.trustbl.address.IpBlock;
import net.trustbl.gateway.protocol.Envelope;

import java.net.InetAddress;
import java.util.Locale;

/** Matching helpers for list entries: CIDRs, "*.example.org" domains and "*@example.org" addresses. */
public final class Patterns {

    private Patterns() {
    }

    /** A parsed "address/prefix" (prefix optional), on the project's address module. */
    public record Cidr(IpBlock block) {

        public static Cidr parse(String text) {
            try {
                return new Cidr(IpBlock.parse(text));
            } catch (IllegalArgumentException e) {
                // the entry comes last: the reload console locates the file line by the text after the last ": "
                throw new IllegalArgumentException(e.getMessage() + "; bad CIDR: " + text.trim(), e);
            }
        }

        public boolean contains(InetAddress ip) {
            return block.contains(IpAddress.fromBytes(ip.getAddress()));
        }
    }

    /** "example.org" matches itself; "*.example.org" matches any subdomain and example.org itself. */
    public static boolean domainMatches(String pattern, String domain) {
        String p = pattern.trim().toLowerCase(Locale.ROOT);
        String d = domain.toLowerCase(Locale.ROOT);
        if (p.startsWith("*.")) {
            String base = p.substring(2);
            return d.equals(base) || d.endsWith("." + base);
        }
        return d.equals(p);
    }

    /**
     * "user@example.org" exactly, "*@example.org" any local part, "user@*" any domain (case-insensitive).
     * Local parts are compared as the mailbox they name: {@code "user"@example.org} is
     * {@code user@example.org} ({@link Envelope#unquotedLocalPart}), so quoting the local part does
     * not escape a recipient policy or a trap.
     */
    public static boolean addressMatches(String pattern, String address) {
        String p = pattern.trim().toLowerCase(Locale.ROOT);
        String a = address.toLowerCase(Locale.ROOT);
        int pAt = p.lastIndexOf('@');
        int aAt = a.lastIndexOf('@');
        if (pAt < 0) {
            // a bare domain pattern
            return aAt >= 0 && domainMatches(p, a.substring(aAt + 1));
        }
        if (aAt < 0) {
            return false;
        }
        String pl = Envelope.unquotedLocalPart(p.substring(0, pAt));
        String pd = p.substring(pAt + 1);
        boolean localOk = pl.equals("*") || pl.equals(Envelope.unquotedLocalPart(a.substring(0, aAt)));
        boolean domainOk = pd.equals("*") || domainMatches(pd, a.substring(aAt + 1));
        return localOk && domainOk;
    }
}
