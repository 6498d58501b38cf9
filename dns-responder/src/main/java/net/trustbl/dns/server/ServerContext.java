package net.trustbl.dns.server;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import net.trustbl.dns.index.ZoneData;
import net.trustbl.dns.traffic.TrafficCounters;
import net.trustbl.dns.zone.ZoneRecords;

/** Everything the query handlers share; immutable apart from the NOTIFY hook. */
final class ServerContext {

    final DnsConfig config;
    final ZoneData data;
    final ZoneRecords records;
    final AddressAcl queryAcl;
    final AddressAcl transferAcl;
    final RateLimiter rrl;
    final DnsMetrics metrics;
    final TrafficCounters traffic;
    /** The zone name in wire form, lower case, ending with the root label. */
    final byte[] zoneWire;
    final int zoneLabels;
    /** When set, transfers need a query signed with this key, and signed queries get signed answers. */
    final org.xbill.DNS.TSIG tsig;
    volatile Consumer<InetAddress> notifyHandler;
    volatile AddressAcl notifyAcl = AddressAcl.of(java.util.List.of());

    ServerContext(DnsConfig config, ZoneData data, DnsMetrics metrics, TrafficCounters traffic) {
        this.config = config;
        this.data = data;
        this.records = new ZoneRecords(config);
        this.queryAcl = config.queryAcl().isEmpty() ? AddressAcl.open() : AddressAcl.of(config.queryAcl());
        this.transferAcl = AddressAcl.of(config.transferAcl());
        this.rrl = new RateLimiter(config.rrlResponsesPerSecond(), config.rrlSlip(), AddressAcl.of(config.rrlExempt()));
        this.metrics = metrics;
        this.traffic = traffic;
        String[] labels = config.zone().split("\\.");
        int n = 1;
        for (String l : labels) {
            n += 1 + l.length();
        }
        byte[] w = new byte[n];
        int o = 0;
        for (String l : labels) {
            byte[] b = l.getBytes(StandardCharsets.US_ASCII);
            if (b.length == 0 || b.length > 63) {
                throw new IllegalArgumentException("bad zone label in " + config.zone());
            }
            w[o++] = (byte) b.length;
            System.arraycopy(b, 0, w, o, b.length);
            o += b.length;
        }
        w[o] = 0;
        this.zoneWire = w;
        this.zoneLabels = labels.length;
        this.tsig = config.tsig();
    }
}
