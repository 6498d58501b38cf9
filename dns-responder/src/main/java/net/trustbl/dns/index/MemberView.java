package net.trustbl.dns.index;

import java.util.List;

/**
 * A member's personal rules, served under {@code <ip>.<queryKey>.<zone>}: allow-listed blocks answer
 * NXDOMAIN, deny-listed blocks answer 127.0.0.4, and a global listing answers only when its score is
 * at least {@code threshold} (threshold &le; 0 or NaN: the global listings as they are).
 */
public record MemberView(String queryKey, double threshold, List<String> allow, List<String> deny) {

    public MemberView {
        if (queryKey == null || queryKey.isEmpty() || queryKey.length() > 63) {
            throw new IllegalArgumentException("queryKey must be a DNS label of 1..63 characters");
        }
        for (int i = 0; i < queryKey.length(); i++) {
            char c = queryKey.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) {
                throw new IllegalArgumentException("queryKey may hold only letters, digits, '-' and '_'");
            }
        }
        allow = allow == null ? List.of() : List.copyOf(allow);
        deny = deny == null ? List.of() : List.copyOf(deny);
    }
}
