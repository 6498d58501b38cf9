package net.trustbl.gateway.filter;

import net.trustbl.gateway.config.GatewayConfig;
import net.trustbl.gateway.support.FilterFixture;
import net.trustbl.gateway.support.TestConfigs;
import net.trustbl.gateway.transaction.MessageContent;
import net.trustbl.gateway.transaction.Transaction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;

import static net.trustbl.gateway.support.FilterCalls.client;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The attachment filter as the chain calls it, at the end of data on a worker (the scanner's own
 * cases are in AttachmentScannerTest, the scan deadline in AttachmentFilterDeadlineTest).
 */
class AttachmentFilterTest {

    @RegisterExtension
    static final FilterFixture env = FilterFixture.vertxOnly();

    static AttachmentFilter filter(String... keyValues) {
        GatewayConfig c = TestConfigs.gateway(keyValues);
        return new AttachmentFilter(env.vertx(), c.attachments(), c.limits().maxMessageSize());
    }

    static Verdict scan(AttachmentFilter f, String filename, byte[] content) throws Exception {
        Transaction tx = client("192.0.2.1");
        tx.message = MessageContent.of(AttachmentScannerTest.mail(filename, content).readAllBytes());
        return env.run(f, Stage.END_OF_DATA, tx);
    }

    static final byte[] PDF = "%PDF-1.4 the minutes".getBytes(StandardCharsets.US_ASCII);

    @Test
    void aHarmlessAttachmentPasses() throws Exception {
        assertEquals(Verdict.CONTINUE, scan(filter(), "minutes.pdf", PDF));
        assertEquals(Verdict.CONTINUE, scan(filter(), "minutes.zip", new RawZip().add("minutes.pdf", PDF).bytes()));
    }

    @Test
    void aBlockedAttachmentIsRefusedByName() throws Exception {
        assertEquals(Verdict.reject(550, "5.7.1", "Attachment invoice.exe is not accepted here; send it in another form"),
                scan(filter(), "invoice.exe", "MZ".getBytes(StandardCharsets.US_ASCII)));
        Verdict zipped = scan(filter(), "invoice.zip", new RawZip().add("invoice.pdf.exe", "MZ".getBytes(StandardCharsets.US_ASCII)).bytes());
        assertEquals(550, zipped.code());
        assertTrue(zipped.text().contains("invoice.pdf.exe") && zipped.text().endsWith("is not accepted here; send it in another form"),
                zipped.text());
    }

    @Test
    void theOperatorsListIsReadLikeAMailClientReadsNames() throws Exception {
        AttachmentFilter f = filter("gateway.attachments.blocked-extensions", " .PDF ");
        assertEquals(Verdict.reject(550, "5.7.1", "Attachment minutes.pdf is not accepted here; send it in another form"),
                scan(f, "minutes.pdf", PDF), "a leading dot, case and blanks in the setting do not matter");
        assertEquals(Verdict.CONTINUE, scan(f, "setup.exe", "MZ".getBytes(StandardCharsets.US_ASCII)),
                "the setting replaces the default list");
    }

    @Test
    void anUnknownUninspectableActionStopsStartUp() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> filter("gateway.attachments.uninspectable-action", "drop"));
        assertEquals("gateway.attachments.uninspectable-action must be reject or defer, not drop", e.getMessage());
    }
}
