package net.trustbl.responder;

import net.trustbl.dns.config.DnsConfig;
import net.trustbl.dns.zone.ZoneRecords;
import org.xbill.DNS.SOARecord;

/**
 * The rbldnsd special lines that make a mirror answer SOA, NS and TTLs like the central responder:
 * {@code $SOA ttl origin person serial refresh retry expire minttl}, {@code $NS ttl ns...} and
 * {@code $TTL ttl} (rbldnsd(8), "Special Entries"). Without them rbldnsd invents a SOA with the
 * file's time as serial and answers with its 35-minute default TTL instead of ours.
 */
final class RbldnsdZoneLines {

    private RbldnsdZoneLines() {
    }

    /** The lines for this serial, each ending in a newline; the SOA is the responder's own (same names, timers, negative TTL). */
    static String of(DnsConfig config, long serial) {
        SOARecord soa = new ZoneRecords(config).soa(serial);
        StringBuilder lines = new StringBuilder(256);
        lines.append("$TTL ").append(config.listedTtl()).append('\n');
        lines.append("$SOA ").append(soa.getTTL()).append(' ').append(soa.getHost()).append(' ').append(soa.getAdmin())
                .append(' ').append(soa.getSerial()).append(' ').append(soa.getRefresh()).append(' ').append(soa.getRetry())
                .append(' ').append(soa.getExpire()).append(' ').append(soa.getMinimum()).append('\n');
        if (!config.nsNames().isEmpty()) {
            lines.append("$NS ").append(config.listedTtl());
            for (String ns : config.nsNames()) {
                lines.append(' ').append(ns.endsWith(".") ? ns : ns + ".");
            }
            lines.append('\n');
        }
        return lines.toString();
    }
}
