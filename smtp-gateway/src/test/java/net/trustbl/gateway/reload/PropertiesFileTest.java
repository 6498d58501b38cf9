package net.trustbl.gateway.reload;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A problem with the operator's file is reported with the line to correct. */
class PropertiesFileTest {

    @TempDir
    Path dir;

    private PropertiesFile file(String text) throws Exception {
        Path p = dir.resolve("gateway.properties");
        Files.writeString(p, text);
        return PropertiesFile.read(p);
    }

    @Test
    void anUnknownKeyIsLocatedOnItsLineNotOnTheKeyTheMessageSuggests() throws Exception {
        PropertiesFile f = file("""
                # comment
                gateway.deny.ips=10.0.0.0/8
                gateway.deny.sender-domains = a.example, \\
                    b.example
                gateway.deny.ipz: 127.0.0.1
                """);
        assertEquals("a.example, b.example", f.values().get("gateway.deny.sender-domains"));
        String where = f.locate("unknown configuration key gateway.deny.ipz (did you mean gateway.deny.ips?)");
        assertTrue(where.endsWith("gateway.properties line 5"), where);
    }

    @Test
    void aBadValueIsLocatedByTheTokenTheMessageQuotes() throws Exception {
        PropertiesFile f = file("gateway.allow.ips=127.0.0.1\n\ngateway.deny.ips=127.0.0.31, 10.0.0.300/8\n");
        assertTrue(f.locate("bad CIDR: 10.0.0.300/8").endsWith("line 3"));
        assertTrue(f.locate("bad DNSBL zone in '127.0.0.1'").endsWith("line 1"));
        assertNull(f.locate("something about nothing in the file"));
    }

    @Test
    void aKeyGivenTwiceIsLocatedOnTheLineInEffectTheLastOne() throws Exception {
        PropertiesFile f = file("gateway.deny.ips=127.0.0.21\ngateway.hostname=mx.example.org\ngateway.deny.ips=127.0.0.21, 10.0.0.300/8\n");
        assertEquals("127.0.0.21, 10.0.0.300/8", f.values().get("gateway.deny.ips"));
        assertTrue(f.locate("gateway.deny.ips: bad CIDR: 10.0.0.300/8").endsWith("line 3"));
    }

    @Test
    void aProfileKeyIsLocatedUnderItsPlainName() throws Exception {
        PropertiesFile f = file("%prod.gateway.dnsbl.action=rejekt\n");
        assertTrue(f.locate("gateway.dnsbl.action: rejekt is not one of reject, defer, tag, log").endsWith("line 1"));
    }

    @Test
    void aMalformedEscapeIsRefusedWithItsLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> file("gateway.hostname=mx.example.org\ngateway.refusal-info=see \\uZZZZ\n"));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void restartOnlyKeysAreToldApartFromReloadableOnes() {
        assertTrue(RestartKeys.needsRestart("gateway.listen"));
        assertTrue(RestartKeys.needsRestart("%prod.gateway.limits.max-message-size"));
        assertTrue(RestartKeys.needsRestart("gateway.tls.cert"));
        assertFalse(RestartKeys.needsRestart("gateway.listener"));
        assertFalse(RestartKeys.needsRestart("gateway.deny.ips"));
        assertFalse(RestartKeys.needsRestart("gateway.greylist.enabled"));
        assertFalse(RestartKeys.needsRestart("gateway.recipients.policies.vip.allow-ips"));
    }
}
