package net.trustbl.dns.standalone;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.List;

import net.trustbl.dns.index.IndexBuilder;
import net.trustbl.dns.index.ListingRecord;
import net.trustbl.dns.index.ZoneData;
import net.trustbl.dns.config.DnsConfig;
import net.trustbl.dns.server.DnsServer;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Measures how long a feed delta takes to show in DNS answers: a server with {@code entries}
 * listings, then {@code rounds} times apply one new listing and query it over UDP until it answers
 * listed. Prints p50/p99/max. The feed's own delay (report to delta) comes on top.
 * Usage: java -cp dns-responder-standalone.jar net.trustbl.dns.standalone.VisibilityProbe [entries] [rounds]
 */
public final class VisibilityProbe {

    private VisibilityProbe() {
    }

    public static void main(String[] args) throws Exception {
        int entries = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        ZoneData data = new ZoneData();
        IndexBuilder b = new IndexBuilder();
        for (int i = 0; i < entries; i++) {
            b.addV4(0x0A000000 + i * 3, 32, 2, 1f);
        }
        data.replaceAll(1, b.build());
        long[] micros = new long[rounds];
        try (DnsServer server = DnsServer.start(DnsConfig.builder().bind("127.0.0.1", 0).build(), data);
             DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(1000);
            byte[] buf = new byte[1500];
            for (int r = 0; r < rounds; r++) {
                String ip = "198.18." + (r / 250) + "." + (r % 250 + 1);
                String[] o = ip.split("\\.");
                Name name = Name.fromString(o[3] + "." + o[2] + "." + o[1] + "." + o[0] + ".bl.trustbl.test.");
                byte[] q = Message.newQuery(Record.newRecord(name, Type.A, DClass.IN)).toWire();
                long t0 = System.nanoTime();
                data.apply(2 + r, List.of(new ListingRecord(ip, 2, 1f)));
                while (true) {
                    s.send(new DatagramPacket(q, q.length, InetAddress.getLoopbackAddress(), server.boundPort()));
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    try {
                        s.receive(p);
                    } catch (SocketTimeoutException e) {
                        continue;
                    }
                    if ((buf[3] & 15) == 0 && p.getLength() > q.length) {
                        break;
                    }
                    if (System.nanoTime() - t0 > 5_000_000_000L) {
                        throw new IllegalStateException("not visible after 5 s: " + ip);
                    }
                }
                micros[r] = (System.nanoTime() - t0) / 1000;
            }
        }
        Arrays.sort(micros);
        System.out.printf("entries=%d rounds=%d apply-to-answer p50=%d us p99=%d us max=%d us%n", entries, rounds,
                micros[rounds / 2], micros[Math.min(rounds - 1, (int) Math.ceil(rounds * 0.99) - 1)], micros[rounds - 1]);
    }
}
