package net.trustbl.gateway.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import net.trustbl.db.EmbeddedDatabase;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

/**
 * Everything around the gateway under test, all real and in-process: an embedded PostgreSQL, the
 * downstream MTA, a DNS server with test lists, the trust-service API, an external checker script.
 */
public class GatewayTestResource implements QuarkusTestResourceLifecycleManager {

    public static FakeDownstream downstream;
    public static FakeDns dns;
    public static FakeTrustService trust;
    private EmbeddedDatabase db;
    private Path dir;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("gateway-test");
            db = EmbeddedDatabase.start(dir.resolve("pg"), "gateway", 0);
            downstream = new FakeDownstream();
            dns = new FakeDns();
            trust = new FakeTrustService();
            fillDns(dns);
            Path checker = dir.resolve("checker.sh");
            Files.writeString(checker, """
                    #!/bin/sh
                    # called as: -s file -a ip -f from -t n rcpts...
                    grep -q EXTERNAL-REJECT "$2" && exit 1
                    grep -q EXTERNAL-DEFER "$2" && exit 75
                    grep -q EXTERNAL-SLOW "$2" && sleep 5
                    exit 0
                    """);
            Files.setPosixFilePermissions(checker, PosixFilePermissions.fromString("rwxr-xr-x"));
            Map<String, String> p = new HashMap<>();
            p.put("quarkus.datasource.jdbc.url", db.jdbcUrl());
            p.put("quarkus.datasource.username", db.username());
            p.put("quarkus.datasource.password", db.password());
            p.put("gateway.data-dir", dir.resolve("data").toString());
            p.put("gateway.downstream", "127.0.0.1:" + downstream.port());
            // tests switch the fake downstream's extensions (XFORWARD, DSN) between sessions, and a
            // cached connection keeps what it was offered when it opened: DownstreamCacheTest and
            // the drills (ops/drills/smtp-no-loss) run the cache
            p.put("gateway.limits.downstream-cache-size", "0");
            p.put("gateway.dns.resolver", "127.0.0.1:" + dns.port());
            p.put("gateway.trust-service.url", trust.url());
            p.put("gateway.trust-service.key", FakeTrustService.KEY);
            p.put("gateway.external.command", checker.toString());
            return p;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** bl.test lists 127.0.0.5 (and the RFC 5782 entry), soft.test 127.0.0.6, wl.test allow-lists 127.0.0.7. */
    static void fillDns(FakeDns dns) {
        for (String zone : new String[] {"bl.test", "soft.test", "wl.test", "dead.test"}) {
            dns.a.put("2.0.0.127." + zone, new String[] {"127.0.0.2"});
            dns.txt.put("2.0.0.127." + zone, "RFC 5782 test entry");
        }
        // dead.test answers every question: it must be detected and ignored
        dns.a.put("1.0.0.127.dead.test", new String[] {"127.0.0.2"});
        dns.a.put("5.0.0.127.bl.test", new String[] {"127.0.0.3"});
        dns.txt.put("5.0.0.127.bl.test", "Listed by TrustBL, see https://trustbl.test/ip/127.0.0.5");
        dns.a.put("7.0.0.127.bl.test", new String[] {"127.0.0.2"});
        dns.a.put("6.0.0.127.soft.test", new String[] {"127.0.0.2"});
        dns.txt.put("6.0.0.127.soft.test", "Soft listing https://soft.test/127.0.0.6");
        dns.a.put("7.0.0.127.wl.test", new String[] {"127.0.10.2"});
        // 127.0.0.9 gets the Spamhaus "over quota" error code: never a listing
        dns.a.put("9.0.0.127.bl.test", new String[] {"127.255.255.255"});
        // 127.0.0.10: listed in bl.test (weight 2) while soft.test does not answer
        dns.a.put("10.0.0.127.bl.test", new String[] {"127.0.0.2"});
        dns.txt.put("10.0.0.127.bl.test", "Listed by TrustBL, see https://trustbl.test/ip/127.0.0.10");
        dns.silent.put("10.0.0.127.soft.test", true);
        // 127.0.0.15 listed (allow-listed by IP in LimitsAndAllowListTest), 127.0.0.16 scores 1
        dns.a.put("15.0.0.127.bl.test", new String[] {"127.0.0.2"});
        dns.a.put("16.0.0.127.soft.test", new String[] {"127.0.0.2"});
        dns.a.put("partner.test", new String[] {"192.0.2.13"});
        dns.silent.put("8.0.0.127.bl.test", true);
        dns.silent.put("8.0.0.127.soft.test", true);
        dns.silent.put("8.0.0.127.wl.test", true);
        // sender domains: example.net has an A record, nomx.test has nothing
        dns.a.put("example.net", new String[] {"192.0.2.10"});
        dns.a.put("strict.test", new String[] {"192.0.2.11"});
        dns.a.put("grey.test", new String[] {"192.0.2.12"});
    }

    @Override
    public void stop() {
        try {
            if (downstream != null) {
                downstream.close();
            }
        } catch (IOException e) {
            // test JVM ends anyway
        }
        if (dns != null) {
            dns.close();
        }
        if (trust != null) {
            trust.close();
        }
        if (db != null) {
            db.close();
        }
        if (dir != null) {
            // the throw-away database and spool: leave nothing behind in /tmp
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // best effort
            }
        }
    }
}
