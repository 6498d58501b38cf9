package net.trustbl.gateway.filter;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import net.trustbl.gateway.config.GatewayConfig;
import net.trustbl.gateway.transaction.MessageContent;
import net.trustbl.gateway.transaction.Transaction;

import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.parser.AbstractContentHandler;
import org.apache.james.mime4j.parser.MimeStreamParser;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.MimeConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Operator regexes on headers and/or body, case-insensitive (Obtuse SMTPD content rules), each
 * with reject (550 5.7.1), defer (451 4.7.1) or tag. The first matching rule decides. Rules see
 * the raw text and also the decoded form: RFC 2047 encoded-word headers, and base64 /
 * quoted-printable text parts in their charset (so encoding the spam does not hide it).
 */
@ApplicationScoped
public class ContentFilter implements Filter {

    /** Messages up to this size are matched on the event loop; bigger ones on a worker thread. */
    private static final int INLINE_LIMIT = 256 * 1024;
    /** Bytes of body matched at a time. */
    static final int WINDOW = 1024 * 1024;
    /** Bytes of the previous window matched again with the next one. */
    static final int OVERLAP = 8 * 1024;
    /** Decoded text kept per message for the body rules. */
    private static final int MAX_DECODED = 2 * 1024 * 1024;

    private record Rule(String where, Pattern pattern, String action, String reason, int index) {
    }

    private final Vertx vertx;
    private final List<Rule> rules = new ArrayList<>();

    public ContentFilter(Vertx vertx, GatewayConfig config) {
        this.vertx = vertx;
        int i = 0;
        for (GatewayConfig.ContentRule r : config.content().rules()) {
            String where = r.where().toLowerCase();
            String action = r.action().toLowerCase();
            if (!Set.of("header", "body", "any").contains(where) || !Set.of("reject", "defer", "tag").contains(action)) {
                throw new IllegalArgumentException("gateway.content.rules[" + i + "]: where must be header|body|any, action reject|defer|tag");
            }
            rules.add(new Rule(where, Pattern.compile(r.pattern(), Pattern.CASE_INSENSITIVE | Pattern.MULTILINE),
                    action, r.reason(), i++));
        }
    }

    @Override
    public String name() {
        return "content";
    }

    @Override
    public Set<Stage> stages() {
        return EnumSet.of(Stage.END_OF_DATA);
    }

    @Override
    public Future<Verdict> check(Stage stage, Transaction tx) {
        if (rules.isEmpty()) {
            return Future.succeededFuture(Verdict.CONTINUE);
        }
        MessageContent message = tx.message;
        return message.size() <= INLINE_LIMIT ? Future.succeededFuture(scan(message))
                : vertx.executeBlocking(() -> scan(message), false);
    }

    /**
     * The first rule (in configured order) that matches. The body is read in windows of
     * {@link #WINDOW} bytes that overlap by {@link #OVERLAP}, so a spooled message is never held
     * whole; a match longer than the overlap that straddles two windows is not seen.
     */
    Verdict scan(MessageContent message) {
        try (InputStream in = message.openStream()) {
            // ISO-8859-1 maps every byte to one char, so any raw 8-bit content can be matched
            byte[] head = message.headers(WINDOW);
            boolean ended = endsWithBlankLine(head);
            String rawHeaders = latin1(head, ended ? head.length - 2 : head.length);
            in.skipNBytes(head.length);
            // the rules also see what the reader sees: encoded-word headers decoded, and the text
            // parts with their base64 / quoted-printable transfer encoding and charset undone
            String decodedHeaders = MimeNames.decodeWords(rawHeaders);
            String headers = decodedHeaders.equals(rawHeaders) ? rawHeaders : rawHeaders + "\r\n" + decodedHeaders;
            String decodedText;
            try (InputStream again = message.openStream()) {
                decodedText = decodedText(again);
            }
            int best = Integer.MAX_VALUE;
            String carried = "";
            boolean last = false;
            while (!last && best > 0) {
                byte[] chunk = in.readNBytes(WINDOW);
                last = chunk.length < WINDOW;
                String body = carried + latin1(chunk, chunk.length);
                if (last && !decodedText.isEmpty()) {
                    body = body + "\r\n" + decodedText;
                }
                best = Math.min(best, firstMatch(headers, body, best));
                carried = body.substring(Math.max(0, body.length() - OVERLAP));
            }
            return best == Integer.MAX_VALUE ? Verdict.CONTINUE : verdict(rules.get(best));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Index of the first rule before {@code below} that matches, else Integer.MAX_VALUE. */
    private int firstMatch(String headers, String body, int below) {
        String text = null;
        for (Rule r : rules) {
            if (r.index >= below) {
                break;
            }
            String target = switch (r.where) {
                case "header" -> headers;
                case "body" -> body;
                default -> text == null ? (text = headers + "\r\n" + body) : text;
            };
            if (r.pattern.matcher(target).find()) {
                return r.index;
            }
        }
        return Integer.MAX_VALUE;
    }

    private static Verdict verdict(Rule r) {
        return switch (r.action) {
            case "reject" -> Verdict.reject(550, "5.7.1", r.reason);
            case "defer" -> Verdict.tempfail(451, "4.7.1", r.reason);
            default -> Verdict.tag("X-TrustBL-Content: rule " + r.index + " matched", null);
        };
    }

    private static boolean endsWithBlankLine(byte[] head) {
        int n = head.length;
        return n >= 4 && head[n - 4] == '\r' && head[n - 3] == '\n' && head[n - 2] == '\r' && head[n - 1] == '\n';
    }

    private static String latin1(byte[] bytes, int length) {
        return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
    }

    /** Decoded text/* parts (transfer encoding and charset), at most {@link #MAX_DECODED} chars. */
    static String decodedText(InputStream message) {
        StringBuilder out = new StringBuilder();
        MimeConfig mc = MimeConfig.custom().setMaxLineLen(-1).setMaxHeaderLen(-1).setMaxHeaderCount(-1)
                .setMaxContentLen(-1).build();
        MimeStreamParser parser = new MimeStreamParser(mc);
        parser.setContentDecoding(true);
        parser.setContentHandler(new AbstractContentHandler() {
            @Override
            public void body(BodyDescriptor bd, InputStream is) throws IOException {
                String type = bd.getMimeType() == null ? "text/plain" : bd.getMimeType().toLowerCase(Locale.ROOT);
                String cte = bd.getTransferEncoding() == null ? "7bit" : bd.getTransferEncoding().toLowerCase(Locale.ROOT);
                if (!type.startsWith("text/") || out.length() >= MAX_DECODED
                        || !(cte.equals("base64") || cte.equals("quoted-printable"))) {
                    return; // 7bit/8bit text is already in the raw body
                }
                Charset cs;
                try {
                    cs = bd.getCharset() == null ? StandardCharsets.ISO_8859_1 : Charset.forName(bd.getCharset());
                } catch (RuntimeException e) {
                    cs = StandardCharsets.ISO_8859_1;
                }
                byte[] bytes = is.readNBytes(MAX_DECODED - out.length());
                out.append(new String(bytes, cs)).append("\r\n");
            }
        });
        try {
            parser.parse(message);
        } catch (MimeException | IOException | RuntimeException e) {
            // what could be decoded is used; the raw text is matched anyway
        }
        return out.toString();
    }
}
