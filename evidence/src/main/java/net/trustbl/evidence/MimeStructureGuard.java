package net.trustbl.evidence;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.field.LenientFieldParser;
import org.apache.james.mime4j.message.DefaultBodyDescriptorBuilder;
import org.apache.james.mime4j.parser.AbstractContentHandler;
import org.apache.james.mime4j.parser.MimeStreamParser;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.MimeConfig;

/**
 * Counts the MIME entities of a message with mime4j's streaming parser before the message tree
 * is built. Building the tree keeps every part in memory (75,000 empty parts fit in 512 KB and
 * took 120 MB), and a message/rfc822 part in base64 hides its inner structure from any count of
 * the raw bytes while mime4j still decodes and parses it. The streaming pass reads the message
 * the way the builder will (same configuration, same Content-Type reading, encapsulated messages
 * decoded and followed) but keeps nothing, and stops at the first entity past a limit.
 */
final class MimeStructureGuard {

    /** Parts and messages in one submission; a forward of 20 spams with attachments uses a few hundred. */
    static final int MAX_ENTITIES = 1_000;
    /** Multipart and message levels open at once; mail clients nest a handful. */
    static final int MAX_DEPTH = 50;

    private MimeStructureGuard() {
    }

    /** Why the message is refused, or null when its structure is within the limits. */
    static String refusal(byte[] raw, MimeConfig config) throws IOException, MimeException {
        MimeStreamParser parser = new MimeStreamParser(config, DecodeMonitor.SILENT,
                new DefaultBodyDescriptorBuilder(null, LenientFieldParser.getParser(), DecodeMonitor.SILENT));
        parser.setRecurse(); // parse message/rfc822 parts too, decoded, as the tree builder does
        Counter counter = new Counter();
        parser.setContentHandler(counter);
        try {
            parser.parse(new ByteArrayInputStream(raw));
            return null;
        } catch (LimitReached e) {
            return e.getMessage();
        }
    }

    /** Thrown from the handler to stop the parser at once; never leaves this class. */
    private static final class LimitReached extends RuntimeException {
        LimitReached(String reason) {
            super(reason, null, false, false);
        }
    }

    private static final class Counter extends AbstractContentHandler {
        int entities;
        int depth;

        @Override
        public void startMessage() {
            entity();
            open();
        }

        @Override
        public void endMessage() {
            depth--;
        }

        @Override
        public void startBodyPart() {
            entity();
        }

        @Override
        public void startMultipart(BodyDescriptor bd) {
            open();
        }

        @Override
        public void endMultipart() {
            depth--;
        }

        private void entity() {
            if (++entities > MAX_ENTITIES) {
                throw new LimitReached("too many MIME parts (more than " + MAX_ENTITIES + ")");
            }
        }

        private void open() {
            if (++depth > MAX_DEPTH) {
                throw new LimitReached("too many nested MIME parts (more than " + MAX_DEPTH + " levels)");
            }
        }
    }
}
