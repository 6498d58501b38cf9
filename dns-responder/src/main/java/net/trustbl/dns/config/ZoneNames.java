package net.trustbl.dns.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The zone names of {@code trustbl.dns.zone} and {@code trustbl.dns.allow-zone}, checked and normalized. */
final class ZoneNames {

    private ZoneNames() {
    }

    /** The allow zone, lower case without a trailing dot; it must be apart from the list's zones. */
    static String normalizeAllowZone(String allowZone, String listZones) {
        String z = normalize(allowZone == null || allowZone.isBlank() ? DnsConfig.DEFAULT_ALLOW_ZONE : allowZone);
        if (z.contains(",")) {
            throw new IllegalArgumentException("allow-zone is one domain name: " + z);
        }
        normalize(listZones + "," + z); // rejects an allow zone equal to, or inside, a list zone
        return z;
    }

    /**
     * The zones served, normalized (lower case, no trailing dot) and joined by commas: the first is
     * the primary name, the others serve the same data as aliases. Duplicates and a zone inside
     * another one are rejected.
     */
    static String normalize(String zone) {
        if (zone == null || zone.isBlank()) {
            return DnsConfig.DEFAULT_ZONE;
        }
        List<String> out = new ArrayList<>();
        for (String part : zone.split(",")) {
            String z = part.trim().toLowerCase(Locale.ROOT);
            while (z.endsWith(".")) {
                z = z.substring(0, z.length() - 1);
            }
            if (z.isEmpty() || z.length() > 200) {
                throw new IllegalArgumentException("zone must be a domain name or a comma-separated list of them");
            }
            for (String other : out) {
                if (other.equals(z) || other.endsWith("." + z) || z.endsWith("." + other)) {
                    throw new IllegalArgumentException("zones must be distinct and not inside each other: " + other + ", " + z);
                }
            }
            out.add(z);
        }
        return String.join(",", out);
    }
}
