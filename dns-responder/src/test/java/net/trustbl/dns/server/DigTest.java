package net.trustbl.dns.server;

import net.trustbl.dns.config.DnsConfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import net.trustbl.dns.index.ListingRecord;
import net.trustbl.dns.index.ZoneData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real {@code dig} (dnsutils) against the responder on loopback; skipped without dig. */
class DigTest {

    static final String DIG = "/usr/bin/dig";
    static final String ZONE = "bl.trustbl.test";
    static DnsServer server;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(DIG)), "dig is not installed");
        ZoneData data = new ZoneData();
        data.replaceAll(42, List.of(new ListingRecord("192.0.2.1", 3, 1f), new ListingRecord("198.51.100.0/24", 2, 1f)));
        server = DnsServer.start(DnsConfig.builder().bind("127.0.0.1", 0).publicHost("trustbl.example").udpThreads(1).build(), data);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static String dig(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(DIG, "+time=2", "+tries=2", "-p", String.valueOf(server.boundPort()), "@127.0.0.1"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "dig finished");
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void aListedAddressAnswersTheReturnCode() throws Exception {
        assertEquals("127.0.0.3", dig("+short", "1.2.0.192." + ZONE, "A").trim());
        String full = dig("1.2.0.192." + ZONE, "A");
        assertTrue(full.contains("status: NOERROR"), full);
        assertTrue(full.contains(" aa"), "authoritative: " + full);
        assertFalse(full.matches("(?s).*flags:[^;]* ra[ ;].*"), "no recursion available: " + full);
    }

    @Test
    void txtCarriesTheTemplateWithTheQueriedIp() throws Exception {
        assertEquals("\"Listed by TrustBL: https://trustbl.example/lookup/192.0.2.1\"", dig("+short", "1.2.0.192." + ZONE, "TXT").trim());
        assertEquals("\"Listed by TrustBL: https://trustbl.example/lookup/198.51.100.77\"",
                dig("+short", "77.100.51.198." + ZONE, "TXT").trim());
    }

    @Test
    void anUnlistedAddressIsNxdomainWithTheSoa() throws Exception {
        String out = dig("9.9.9.9." + ZONE, "A");
        assertTrue(out.contains("status: NXDOMAIN"), out);
        assertTrue(out.contains("AUTHORITY: 1"), out);
        assertTrue(out.matches("(?s).*" + ZONE.replace(".", "\\.") + "\\.\\s+60\\s+IN\\s+SOA\\s+ns1\\." + ZONE.replace(".", "\\.")
                + "\\. hostmaster\\." + ZONE.replace(".", "\\.") + "\\. 42 .*"), out);
    }

    @Test
    void namesOutsideTheZoneAreRefused() throws Exception {
        String out = dig("www.example.com", "A");
        assertTrue(out.contains("status: REFUSED"), out);
        assertTrue(out.contains("ANSWER: 0"), out);
    }
}
