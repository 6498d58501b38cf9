package net.trustbl.dns.standalone;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import net.trustbl.dns.index.ZoneData;
import net.trustbl.dns.config.DnsConfig;
import net.trustbl.dns.server.DnsServer;
import net.trustbl.dns.server.ZoneFreshness;
import net.trustbl.dns.traffic.TrafficCounters;
import net.trustbl.dns.zone.ZoneRecords;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * {@code --self-test}: a file replica and a transfer replica of it on loopback ports, with built-in
 * data, asked over UDP and TCP. It proves the installation answers, and it is the launcher's
 * training run for class-data sharing: it uses the classes a real start uses.
 */
final class SelfTest {

    private static final String ZONE = "bl.selftest.invalid.";
    private static final String DATA = "192.0.2.1\n198.51.100.0-198.51.100.127 :3:\n10.1\n";

    private SelfTest() {
    }

    /** Returns true when every answer was right. */
    static boolean run(PrintStream out) throws IOException {
        Path dir = Files.createTempDirectory("trustbl-dns-selftest");
        Path file = dir.resolve("bl.ip4set");
        Files.writeString(file, DATA);
        DnsConfig config = DnsConfig.builder().bind("127.0.0.1", 0).zone(ZONE).txtTemplate("Listed: $").udpThreads(1)
                .build();
        ZoneData primaryData = new ZoneData();
        ZoneData copy = new ZoneData();
        ZoneFreshness primaryFresh = ZoneFreshness.failClosed(Duration.ofSeconds(config.soaExpire()));
        ZoneFreshness copyFresh = ZoneFreshness.failClosed(Duration.ofSeconds(config.soaExpire()));
        boolean ok = true;
        try (FileWatcher files = new FileWatcher(List.of(file), primaryData, primaryFresh);
             DnsServer primary = DnsServer.start(config, primaryData, TrafficCounters.disabled(), primaryFresh);
             DnsServer replica = DnsServer.start(config, copy, TrafficCounters.disabled(), copyFresh);
             ZoneFollower follower = new ZoneFollower("127.0.0.1", primary.boundPort(), new ZoneRecords(config), copy, null,
                     copyFresh)) {
            files.loadNow();
            ok &= check(out, "replica before its transfer", replica, "1.2.0.192", Type.A, false, Rcode.SERVFAIL, null);
            ok &= follower.refresh();
            for (DnsServer s : List.of(primary, replica)) {
                String who = s == primary ? "file" : "replica";
                for (boolean tcp : new boolean[] {false, true}) {
                    ok &= check(out, who, s, "1.2.0.192", Type.A, tcp, Rcode.NOERROR, "127.0.0.2");
                    ok &= check(out, who, s, "9.100.51.198", Type.A, tcp, Rcode.NOERROR, "127.0.0.3");
                    ok &= check(out, who, s, "200.100.51.198", Type.TXT, tcp, Rcode.NXDOMAIN, null);
                    ok &= check(out, who, s, "7.7.1.10", Type.TXT, tcp, Rcode.NOERROR, "\"Listed: 10.1.7.7\"");
                    ok &= check(out, who, s, "1.0.0.127", Type.A, tcp, Rcode.NXDOMAIN, null);
                }
            }
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
        out.println(ok ? "PASS" : "FAIL");
        return ok;
    }

    private static boolean check(PrintStream out, String who, DnsServer server, String ip, int type, boolean tcp,
            int rcode, String rdata) throws IOException {
        SimpleResolver r = new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.boundPort()));
        r.setTimeout(Duration.ofSeconds(5));
        r.setTCP(tcp);
        Message m = r.send(Message.newQuery(Record.newRecord(Name.fromString(ip + "." + ZONE), type, DClass.IN)));
        List<Record> answer = m.getSection(Section.ANSWER);
        String got = answer.isEmpty() ? null : answer.get(0).rdataToString();
        boolean right = m.getRcode() == rcode && (rdata == null ? answer.isEmpty() : rdata.equals(got));
        out.printf("%s %-7s %-3s %s %s: %s%s%n", right ? "ok  " : "FAIL", who, tcp ? "tcp" : "udp", Type.string(type),
                ip, Rcode.string(m.getRcode()), got == null ? "" : " " + got);
        return right;
    }
}
