package net.trustbl.dns.index;

/**
 * One listing as the feed delivers it.
 *
 * @param cidr       an address or block: {@code 192.0.2.1}, {@code 198.51.100.0/24}, {@code 2001:db8::/64}
 * @param returnCode last octet of the 127.0.0.x answer (1..255); in a delta 0 means "removed";
 *                   -1 marks an exclusion (rbldnsd {@code !}): never listed even inside a wider listed block
 * @param score      the engine's score for the listing, compared with a member view's threshold
 */
public record ListingRecord(String cidr, int returnCode, float score) {

    public ListingRecord {
        if (cidr == null) {
            throw new IllegalArgumentException("cidr is required");
        }
        if (returnCode < -1 || returnCode > 255) {
            throw new IllegalArgumentException("returnCode must be -1..255");
        }
    }

    public static ListingRecord removal(String cidr) {
        return new ListingRecord(cidr, 0, 0f);
    }
}
