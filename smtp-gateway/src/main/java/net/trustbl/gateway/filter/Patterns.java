package net.trustbl.gateway.filter;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/** Matching helpers for list entries: CIDRs, "*.example.org" domains and "*@example.org" addresses. */
public final class Patterns {

    private Patterns() {
    }

    /** A parsed "address/prefix" (prefix optional). */
    public record Cidr(byte[] network, int prefix) {

        public static Cidr parse(String text) {
            String t = text.trim();
            int slash = t.indexOf('/');
            try {
                byte[] addr = InetAddress.getByName(slash < 0 ? t : t.substring(0, slash)).getAddress();
                int prefix = slash < 0 ? addr.length * 8 : Integer.parseInt(t.substring(slash + 1));
                if (prefix < 0 || prefix > addr.length * 8 || !t.matches("[0-9A-Fa-f:.]+(/\\d+)?")) {
                    throw new IllegalArgumentException("bad CIDR: " + text);
                }
                return new Cidr(addr, prefix);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("bad CIDR: " + text, e);
            }
        }

        public boolean contains(InetAddress ip) {
            byte[] a = ip.getAddress();
            if (a.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (a[full] & mask) == (network[full] & mask);
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

    /** "user@example.org" exactly, "*@example.org" any local part, "user@*" any domain (case-insensitive). */
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
        String pl = p.substring(0, pAt);
        String pd = p.substring(pAt + 1);
        boolean localOk = pl.equals("*") || pl.equals(a.substring(0, aAt));
        boolean domainOk = pd.equals("*") || domainMatches(pd, a.substring(aAt + 1));
        return localOk && domainOk;
    }
}
