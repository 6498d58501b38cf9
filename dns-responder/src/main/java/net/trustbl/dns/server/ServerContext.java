package net.trustbl.dns.server;

import net.trustbl.dns.config.DnsConfig;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

import net.trustbl.dns.index.ZoneData;
import net.trustbl.dns.traffic.TrafficCounters;
import net.trustbl.dns.zone.ZoneRecords;

/** Everything the query handlers share; immutable apart from the NOTIFY hook. */
final class ServerContext {

    final DnsConfig config;
    final ZoneData data;
    /** Per zone (the list's names, then the allow zone last): the data it answers from. */
    final ZoneData[] zoneData;
    final AddressAcl queryAcl;
    final AddressAcl transferAcl;
    final RateLimiter rrl;
    /** Networks whose UDP lookups count (only when lookups are counted at all). */
    final ProvenNetworks proven;
    final DnsMetrics metrics;
    final TrafficCounters traffic;
    /** The primary zone's records (NOTIFY in, single-zone callers); the same as {@code zoneRecords[0]}. */
    final ZoneRecords records;
    /** Per configured zone (primary first): its records, its name in wire form (lower case, ending with the root label) and label count. */
    final ZoneRecords[] zoneRecords;
    final byte[][] zoneWire;
    final int[] zoneLabels;
    /** When set, transfers and incoming NOTIFYs need a query signed with this key, signed queries get signed answers, and our NOTIFYs are signed. */
    final org.xbill.DNS.TSIG tsig;
    /** Whether the data may be answered from (a replica fails closed without it). */
    final ZoneFreshness freshness;
    volatile Consumer<InetAddress> notifyHandler;
    volatile AddressAcl notifyAcl = AddressAcl.of(java.util.List.of());

    ServerContext(DnsConfig config, ZoneData data, DnsMetrics metrics, TrafficCounters traffic) {
        this(config, data, new ZoneData(), metrics, traffic, ZoneFreshness.always());
    }

    ServerContext(DnsConfig config, ZoneData data, ZoneData allowData, DnsMetrics metrics, TrafficCounters traffic,
                  ZoneFreshness freshness) {
        this.config = config;
        this.data = data;
        this.freshness = freshness;
        this.queryAcl = config.queryAcl().isEmpty() ? AddressAcl.open() : AddressAcl.of(config.queryAcl());
        this.transferAcl = AddressAcl.of(config.transferAcl());
        this.rrl = new RateLimiter(config.rrlResponsesPerSecond(), config.rrlSlip(), AddressAcl.of(config.rrlExempt()));
        this.metrics = metrics;
        this.traffic = traffic;
        this.proven = new ProvenNetworks(traffic.enabled() ? config.trafficProofHours() * 3600 : 0,
                AddressAcl.of(config.trafficProofExempt()));
        List<String> zones = config.zones();
        int n = zones.size() + 1;
        this.zoneRecords = new ZoneRecords[n];
        this.zoneData = new ZoneData[n];
        this.zoneWire = new byte[n][];
        this.zoneLabels = new int[n];
        for (int i = 0; i < n; i++) {
            boolean allow = i == zones.size();
            zoneRecords[i] = allow ? ZoneRecords.allowZone(config) : new ZoneRecords(config, zones.get(i));
            zoneData[i] = allow ? allowData : data;
            String name = allow ? config.allowZone() : zones.get(i);
            String[] labels = name.split("\\.");
            zoneWire[i] = wire(labels, name);
            zoneLabels[i] = labels.length;
        }
        this.records = zoneRecords[0];
        this.tsig = config.tsig();
    }

    private static byte[] wire(String[] labels, String zone) {
        int n = 1;
        for (String l : labels) {
            n += 1 + l.length();
        }
        byte[] w = new byte[n];
        int o = 0;
        for (String l : labels) {
            byte[] b = l.getBytes(StandardCharsets.US_ASCII);
            if (b.length == 0 || b.length > 63) {
                throw new IllegalArgumentException("bad zone label in " + zone);
            }
            w[o++] = (byte) b.length;
            System.arraycopy(b, 0, w, o, b.length);
            o += b.length;
        }
        w[o] = 0;
        return w;
    }

    /** The allow zone's records (trusted senders). */
    ZoneRecords allowRecords() {
        return zoneRecords[zoneRecords.length - 1];
    }

    /** The index of the configured zone that {@code name} is in or at, or -1 (zones never nest). */
    int zoneOf(org.xbill.DNS.Name name) {
        for (int i = 0; i < zoneRecords.length; i++) {
            if (name.subdomain(zoneRecords[i].zone())) {
                return i;
            }
        }
        return -1;
    }
}
