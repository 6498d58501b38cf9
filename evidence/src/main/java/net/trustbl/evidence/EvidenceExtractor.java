package net.trustbl.evidence;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.dom.Body;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Header;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.SingleBody;
import org.apache.james.mime4j.dom.field.ContentTypeField;
import org.apache.james.mime4j.field.LenientFieldParser;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;

import net.trustbl.address.AddressClass;
import net.trustbl.address.IpBlock;

/**
 * Turns a reported message into report facts. Accepts, in this order of recognition:
 * <ol>
 *   <li>an ARF feedback report (RFC 5965: multipart/report with a message/feedback-report part);</li>
 *   <li>a mail with the spam attached (message/rfc822, message/global or a *.eml file; several
 *       attachments give several reports; a forward of a forward is followed down to
 *       {@link #MAX_MESSAGE_DEPTH} levels);</li>
 *   <li>otherwise the message is the spam itself (redirected or uploaded raw); so is a bounce
 *       (multipart/report with message/delivery-status): reported bounces are backscatter.</li>
 * </ol>
 * A message taken for the spam itself (raw, or an attached one) that is an inline forward is
 * refused with a reason instead: its headers are the forwarder's provider's ({@link InlineForward}).
 * The source of each spam comes from {@link ReceivedWalker}. Stateless and thread-safe; the
 * caller bounds the input size, this class bounds everything else and never throws.
 */
public final class EvidenceExtractor {

    /** Forward of a forward of ...: deeper than this is abuse, not a mail client. */
    public static final int MAX_MESSAGE_DEPTH = 5;
    /** Attached messages taken from one submission; the rest are refused with a reason. */
    public static final int MAX_ATTACHED = 20;
    /** Multipart levels searched inside one message for attachments. */
    static final int MAX_MULTIPART_DEPTH = 10;
    /** Parts visited inside one message while searching. */
    static final int MAX_PARTS_VISITED = 500;
    /**
     * mime4j stacks one stream per nested multipart or message, so a message nested thousands
     * deep would overflow the parser's stack; refuse such input before parsing. This cheap count
     * of the raw bytes runs first; {@link MimeStructureGuard} then counts what mime4j will build.
     */
    static final int MAX_MIME_STRUCTURES = 300;
    /** Largest message/feedback-report part read (it holds a dozen short fields). */
    static final int MAX_FEEDBACK_BYTES = 64 * 1024;

    static final String RULE_ARF_SOURCE_IP = "arf-source-ip";

    static final MimeConfig MIME_CONFIG = MimeConfig.custom()
            .setMaxLineLen(-1)           // HTML spam has megabyte lines; the caller bounds the total size
            .setMaxHeaderCount(2000)
            .setMaxHeaderLen(200_000)    // spam with thousands of recipients in To:
            .setMaxContentLen(-1)
            .setStrictParsing(false)
            .build();

    /** Extracts every report the message holds; see {@link Extraction}. The reporter's own addresses are not known. */
    public Extraction extract(byte[] rawMessage, Mailhosts trusted) {
        return extract(rawMessage, trusted, List.of());
    }

    /**
     * Extracts every report the message holds; see {@link Extraction}.
     *
     * @param ownAddresses the reporting member's own mail addresses (account email and the like):
     *                     a message from one of them that looks forwarded is the member's inline
     *                     forward, refused with a reason ({@link InlineForward}); may be empty
     */
    public Extraction extract(byte[] rawMessage, Mailhosts trusted, Collection<String> ownAddresses) {
        Mailhosts hosts = trusted == null ? Mailhosts.none() : trusted;
        Run run = new Run(hosts, InlineForward.normalize(ownAddresses));
        if (rawMessage == null || rawMessage.length == 0) {
            run.errors.add("the message is empty");
            return run.result();
        }
        Message message = run.parse(rawMessage, "message");
        if (message != null) {
            run.handle(message, 0, "message");
        }
        if (run.reports.isEmpty() && run.errors.isEmpty()) {
            run.errors.add("no spam found in the message");
        }
        return run.result();
    }

    /** The state of one extraction: results, errors, and the attachment budget. */
    private static final class Run {
        final Mailhosts trusted;
        final Set<String> ownAddresses;
        final List<ExtractedReport> reports = new ArrayList<>();
        final List<String> errors = new ArrayList<>();
        int attached;
        boolean attachedLimitReported;

        Run(Mailhosts trusted, Set<String> ownAddresses) {
            this.trusted = trusted;
            this.ownAddresses = ownAddresses;
        }

        Extraction result() {
            return new Extraction(reports, errors);
        }

        Message parse(byte[] raw, String label) {
            String refusal = structureRefusal(raw);
            if (refusal != null) {
                errors.add(label + ": " + refusal);
                return null;
            }
            try {
                // the raw count cannot see parts behind one boundary or inside a base64 message:
                // count them with the streaming parser before the tree holds them all
                refusal = MimeStructureGuard.refusal(raw, MIME_CONFIG);
                if (refusal != null) {
                    errors.add(label + ": " + refusal);
                    return null;
                }
                Message m = builder().parseMessage(new ByteArrayInputStream(raw));
                if (m.getHeader() == null || m.getHeader().getFields().isEmpty()) {
                    errors.add(label + ": no mail headers found (is this a mail message?)");
                    return null;
                }
                return m;
            } catch (IOException | MimeException | RuntimeException | StackOverflowError e) {
                errors.add(label + ": not a readable MIME message (" + reason(e) + ")");
                return null;
            }
        }

        void handle(Message message, int depth, String label) {
            try {
                if (isArf(message)) {
                    handleArf(message, label);
                    return;
                }
                // a bounce (RFC 3464 DSN) is itself the spam when reported: backscatter from the
                // bouncing host; the message it quotes was never sent by the member's correspondent
                List<Message> inner = isBounce(message) ? List.of() : attachedMessages(message, label);
                if (inner.isEmpty()) {
                    reportSpam(message, message.getHeader(), message.getBody(), depth == 0 ? "raw" : "attachment", label);
                    return;
                }
                if (depth + 1 > MAX_MESSAGE_DEPTH) {
                    errors.add(label + ": forwarded messages nested deeper than " + MAX_MESSAGE_DEPTH + " levels were ignored");
                    return;
                }
                int i = 0;
                for (Message m : inner) {
                    i++;
                    String childLabel = depth == 0 ? "attachment " + i : label + "." + i;
                    handle(m, depth + 1, childLabel);
                }
            } catch (RuntimeException | StackOverflowError e) {
                errors.add(label + ": could not be read (" + reason(e) + ")");
            }
        }

        /**
         * Messages attached to this one (not inside those), in order, within the attachment
         * budget. An attachment beyond the budget is refused with one reason for all.
         */
        List<Message> attachedMessages(Message message, String label) {
            List<Message> found = new ArrayList<>();
            collect(message.getBody(), 0, found, new int[1], label);
            return found;
        }

        private void collect(Body body, int depth, List<Message> found, int[] visited, String label) {
            if (!(body instanceof Multipart mp) || depth >= MAX_MULTIPART_DEPTH) {
                return;
            }
            for (Entity part : mp.getBodyParts()) {
                if (++visited[0] > MAX_PARTS_VISITED) {
                    return;
                }
                Message inner = asMessage(part, label);
                if (inner != null) {
                    if (attached >= MAX_ATTACHED) {
                        if (!attachedLimitReported) {
                            errors.add(label + ": more than " + MAX_ATTACHED + " attached messages; the rest were ignored");
                            attachedLimitReported = true;
                        }
                        return;
                    }
                    attached++;
                    found.add(inner);
                } else {
                    collect(part.getBody(), depth + 1, found, visited, label);
                }
            }
        }

        /** The part as a message: message/rfc822 (parsed by mime4j), message/global or *.eml (parsed here). */
        private Message asMessage(Entity part, String label) {
            Body body = part.getBody();
            if (body instanceof Message m) {
                return m;
            }
            String type = part.getMimeType() == null ? "" : part.getMimeType().toLowerCase(Locale.ROOT);
            String file = part.getFilename() == null ? "" : part.getFilename().toLowerCase(Locale.ROOT);
            boolean eml = type.equals("message/global") || type.equals("message/rfc822")
                    || (file.endsWith(".eml") && !type.startsWith("multipart/"));
            if (!eml || !(body instanceof SingleBody sb)) {
                return null;
            }
            try (InputStream in = sb.getInputStream()) {
                return parse(in.readAllBytes(), label + " (attached " + (file.isEmpty() ? type : file) + ")");
            } catch (IOException e) {
                return null;
            }
        }

        // ---------------------------------------------------------------- spam (raw or attached)

        void reportSpam(Message message, Header header, Body body, String form, String label) {
            if (InlineForward.isForward(header, body, ownAddresses, !form.equals("raw"))) {
                errors.add(label + ": " + InlineForward.REFUSAL);
                return;
            }
            List<String> received = HeaderText.values(header, "Received", ReceivedWalker.MAX_HOPS);
            ReceivedWalker.Result walk = ReceivedWalker.walk(received, trusted);
            if (!walk.ok()) {
                errors.add(label + ": " + walk.error());
                return;
            }
            Instant time = walk.hop().time() != null ? walk.hop().time() : HeaderText.parseDate(HeaderText.first(header, "Date"));
            reports.add(facts(header, body, walk.source(), time, walk.hop(), walk.strength(), walk.rule(), form, label,
                    walk.note()));
        }

        private ExtractedReport facts(Header header, Body body, IpBlock source, Instant time, ReceivedHop hop,
                                      double strength, String rule, String form, String label, String note) {
            String subject = HeaderText.decodeSubject(HeaderText.first(header, "Subject"));
            String messageId = HeaderText.normalizeMessageId(HeaderText.first(header, "Message-ID"));
            return new ExtractedReport(source.toString(), time, subject, Digests.sha256Hex(subject),
                    Digests.sha256Hex(messageId), body == null ? null : BodyDigest.of(body),
                    hop == null ? null : hop.helo(), hop == null ? null : hop.rdns(),
                    strength, rule, form, label, note);
        }

        // ---------------------------------------------------------------- ARF (RFC 5965)

        private boolean isArf(Message message) {
            if (!(message.getBody() instanceof Multipart mp) || !"multipart/report".equalsIgnoreCase(message.getMimeType())) {
                return false;
            }
            Field ct = message.getHeader().getField("Content-Type");
            if (ct instanceof ContentTypeField ctf && "feedback-report".equalsIgnoreCase(ctf.getParameter("report-type"))) {
                return true;
            }
            // report-type missing or misspelled, but the feedback part says what this is
            for (Entity e : mp.getBodyParts()) {
                if ("message/feedback-report".equalsIgnoreCase(e.getMimeType())) {
                    return true;
                }
            }
            return false;
        }

        private boolean isBounce(Message message) {
            if (!(message.getBody() instanceof Multipart mp) || !"multipart/report".equalsIgnoreCase(message.getMimeType())) {
                return false;
            }
            for (Entity e : mp.getBodyParts()) {
                String t = e.getMimeType();
                if ("message/delivery-status".equalsIgnoreCase(t) || "message/global-delivery-status".equalsIgnoreCase(t)) {
                    return true;
                }
            }
            return false;
        }

        void handleArf(Message report, String label) {
            String arfLabel = label.equals("message") ? "ARF report" : label + " (ARF report)";
            Header feedback = null;
            Header originalHeader = null;
            Body originalBody = null;
            for (Entity part : ((Multipart) report.getBody()).getBodyParts()) {
                String type = part.getMimeType() == null ? "" : part.getMimeType().toLowerCase(Locale.ROOT);
                if (type.equals("message/feedback-report") && feedback == null) {
                    feedback = headerOf(part.getBody(), MAX_FEEDBACK_BYTES);
                } else if (originalHeader == null && part.getBody() instanceof Message m) {
                    originalHeader = m.getHeader();
                    originalBody = m.getBody();
                } else if (originalHeader == null && type.equals("text/rfc822-headers")) {
                    originalHeader = headerOf(part.getBody(), Integer.MAX_VALUE);
                }
            }
            if (feedback == null) {
                errors.add(arfLabel + ": no readable message/feedback-report part");
                return;
            }
            String feedbackType = HeaderText.first(feedback, "Feedback-Type");
            if (feedbackType != null && feedbackType.trim().equalsIgnoreCase("not-spam")) {
                errors.add(arfLabel + ": Feedback-Type not-spam is not a spam report");
                return;
            }
            ReceivedWalker.Result walk = originalHeader == null
                    ? ReceivedWalker.Result.failed("the original message is not included")
                    : ReceivedWalker.walk(HeaderText.values(originalHeader, "Received", ReceivedWalker.MAX_HOPS), trusted);
            Instant arrival = HeaderText.parseDate(HeaderText.first(feedback, "Arrival-Date"));
            Instant dated = originalHeader == null ? null : HeaderText.parseDate(HeaderText.first(originalHeader, "Date"));
            // subject and ids describe the spam, never the report wrapping it: none without the original
            Header factsHeader = originalHeader;
            String sourceText = HeaderText.first(feedback, "Source-IP");

            if (sourceText == null || sourceText.isBlank()) {
                if (!walk.ok()) {
                    errors.add(arfLabel + ": no Source-IP and " + walk.error());
                    return;
                }
                Instant time = firstNonNull(walk.hop().time(), arrival, dated);
                String note = "ARF report without Source-IP: source from the Received walk of the included original"
                        + (walk.note() == null ? "" : "; " + walk.note());
                reports.add(facts(factsHeader, originalBody, walk.source(), time, walk.hop(), walk.strength(), walk.rule(),
                        "arf", label, note));
                return;
            }
            IpBlock source = ReceivedParser.parseAddress(sourceText.trim());
            if (source == null) {
                errors.add(arfLabel + ": Source-IP '" + ReceivedParser.cleanName(sourceText.trim()) + "' is not an IP address");
                return;
            }
            String refused = AddressClass.of(source).rejection();
            if (refused != null || AddressClass.of(source) == AddressClass.TEST_POINT_LISTED) {
                errors.add(arfLabel + ": Source-IP " + source + ": " + (refused != null ? refused : "test addresses cannot be reported"));
                return;
            }
            // The generator's Source-IP is a claim; it counts fully only when the original's own
            // Received lines, read through the member's mail hosts, lead to the same address
            // (confirmed by the top hop alone it stays weak, like any top-hop evidence).
            double strength;
            String note;
            ReceivedHop hop = null;
            if (walk.ok() && walk.source().equals(source)) {
                strength = walk.strength(); // full only when the member's mail hosts prove it
                hop = walk.hop();
                note = "Source-IP used; confirmed by the Received walk (" + walk.rule() + ")";
            } else if (walk.ok()) {
                strength = ReceivedWalker.WEAK;
                note = "Source-IP used; the Received walk (" + walk.rule() + ") found " + walk.source() + " instead";
            } else {
                strength = ReceivedWalker.WEAK;
                note = "Source-IP used; not confirmed: " + walk.error();
            }
            Instant time = firstNonNull(arrival, hop == null ? null : hop.time(), dated);
            reports.add(facts(factsHeader, originalBody, source, time, hop, strength, RULE_ARF_SOURCE_IP, "arf", label, note));
        }

        /** A part whose body is a header block (feedback fields, text/rfc822-headers). */
        private Header headerOf(Body body, int maxBytes) {
            if (!(body instanceof SingleBody sb)) {
                return null;
            }
            try (InputStream in = sb.getInputStream()) {
                byte[] bytes = in.readNBytes(maxBytes);
                Header h = builder().parseHeader(new ByteArrayInputStream(bytes));
                return h.getFields().isEmpty() ? null : h;
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
    }

    private static DefaultMessageBuilder builder() {
        DefaultMessageBuilder b = new DefaultMessageBuilder();
        b.setMimeEntityConfig(MIME_CONFIG);
        b.setDecodeMonitor(DecodeMonitor.SILENT);
        b.setFieldParser(LenientFieldParser.getParser());
        return b;
    }

    /**
     * Refuses input whose MIME structure could only be an attack: more boundaries or embedded
     * messages than {@link #MAX_MIME_STRUCTURES}. Counted on the raw bytes, before mime4j runs.
     */
    static String structureRefusal(byte[] raw) {
        // mime4j reads "boundary =", a folded "BOUNDARY\r\n =", "boundary*0=" and "message (x) /rfc822"
        // as well as the plain forms: what lies between the word and its '=' or '/' is skipped
        int boundaries = count(raw, "boundary", '=');
        int messages = count(raw, "message", '/');
        if (boundaries + messages > MAX_MIME_STRUCTURES) {
            return "too many nested MIME parts (more than " + MAX_MIME_STRUCTURES + ")";
        }
        return null;
    }

    /**
     * Case-insensitive count of an ASCII word followed by {@code then}, with whitespace, line
     * folds, RFC 2231 markers ({@code *0}) and parenthesised comments allowed between them;
     * stops early once past the limit.
     */
    private static int count(byte[] hay, String word, char then) {
        byte[] n = word.getBytes(StandardCharsets.US_ASCII);
        int found = 0;
        outer:
        for (int i = 0; i + n.length <= hay.length; i++) {
            for (int j = 0; j < n.length; j++) {
                byte b = hay[i + j];
                if (b >= 'A' && b <= 'Z') {
                    b = (byte) (b + 32);
                }
                if (b != n[j]) {
                    continue outer;
                }
            }
            int k = skipBetween(hay, i + n.length);
            if (k < hay.length && hay[k] == then && ++found > MAX_MIME_STRUCTURES) {
                return found;
            }
        }
        return found;
    }

    /** The index after whitespace, folds, RFC 2231 markers and comments (at most 256 bytes of them). */
    private static int skipBetween(byte[] hay, int k) {
        int end = Math.min(hay.length, k + 256);
        int depth = 0;
        while (k < end) {
            byte b = hay[k];
            if (b == '(') {
                depth++;
            } else if (b == ')' && depth > 0) {
                depth--;
            } else if (depth == 0 && b != ' ' && b != '\t' && b != '\r' && b != '\n' && b != '*' && (b < '0' || b > '9')) {
                return k;
            }
            k++;
        }
        return k;
    }

    private static Instant firstNonNull(Instant a, Instant b, Instant c) {
        return a != null ? a : b != null ? b : c;
    }

    private static String reason(Throwable e) {
        if (e instanceof StackOverflowError) {
            return "structure nested too deeply";
        }
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < m.length() && sb.length() < 120; i++) {
            char c = m.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : ' ');
        }
        return sb.toString().trim();
    }
}
