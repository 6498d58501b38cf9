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
import java.io.InputStreamReader;
import java.io.Reader;
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
 *
 * <p>Padding does not hide anything either: the raw body and then the decoded text of every text
 * part, however many and however big, are streamed through the same overlapping windows, so
 * memory stays bounded and the work grows with the message size only. A header section larger
 * than one window is not matched at all but is uninspectable: {@code
 * gateway.content.uninspectable-action} decides (defer by default).
 */
@ApplicationScoped
public class ContentFilter implements Filter {

    /** Messages up to this size are matched on the event loop; bigger ones on a worker thread. */
    private static final int INLINE_LIMIT = 256 * 1024;
    /** Chars of body (raw, then decoded text) matched at a time; also the most header bytes matched. */
    static final int WINDOW = 1024 * 1024;
    /** Chars of the previous window matched again with the next one. */
    static final int OVERLAP = 8 * 1024;
    /** Chars of decoded text read at a time. */
    private static final int DECODE_CHUNK = 64 * 1024;

    private record Rule(String where, Pattern pattern, String action, String reason, int index) {
    }

    private final Vertx vertx;
    private final List<Rule> rules = new ArrayList<>();
    /** Whether any rule reads the body: when none does, the body is not read. */
    private final boolean bodyRules;
    private final Verdict uninspectable;

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
        this.bodyRules = rules.stream().anyMatch(r -> !r.where.equals("header"));
        String action = config.content().uninspectableAction().trim().toLowerCase(Locale.ROOT);
        String text = "Message header section is larger than " + (WINDOW >> 20) + " MiB and could not be inspected";
        this.uninspectable = switch (action) {
            case "reject" -> Verdict.reject(550, "5.7.1", text);
            case "defer" -> Verdict.tempfail(451, "4.7.1", text);
            case "tag" -> Verdict.tag("X-TrustBL-Content: uninspectable (header section over " + (WINDOW >> 20) + " MiB)", null);
            default -> throw new IllegalArgumentException(
                    "gateway.content.uninspectable-action must be reject, defer or tag, not " + config.content().uninspectableAction());
        };
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
     * {@link #WINDOW} chars that overlap by {@link #OVERLAP}, so a spooled message is never held
     * whole; a match longer than the overlap that straddles two windows is not seen. The decoded
     * text parts follow the raw body in the same windows.
     */
    Verdict scan(MessageContent message) {
        // ISO-8859-1 maps every byte to one char, so any raw 8-bit content can be matched
        byte[] head = message.headers(WINDOW);
        boolean ended = endsWithBlankLine(head);
        if (!ended && message.size() > head.length) {
            // header rules would see only part of the header section, the reader's client all of it
            return uninspectable;
        }
        String rawHeaders = latin1(head, ended ? head.length - 2 : head.length);
        // the rules also see what the reader sees: encoded-word headers decoded, and the text
        // parts with their base64 / quoted-printable transfer encoding and charset undone
        String decodedHeaders = MimeNames.decodeWords(rawHeaders);
        String headers = decodedHeaders.equals(rawHeaders) ? rawHeaders : rawHeaders + "\r\n" + decodedHeaders;
        Windows windows = new Windows(headers);
        if (bodyRules) {
            try (InputStream in = message.openStream()) {
                in.skipNBytes(head.length);
                for (byte[] chunk = in.readNBytes(WINDOW); chunk.length > 0 && !windows.decided();
                        chunk = in.readNBytes(WINDOW)) {
                    windows.add(latin1(chunk, chunk.length));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (!windows.decided()) {
                try (InputStream again = message.openStream()) {
                    decodeText(again, windows);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        int best = windows.finish();
        return best == Integer.MAX_VALUE ? Verdict.CONTINUE : verdict(rules.get(best));
    }

    /**
     * The body text as it streams in (raw body, then decoded text), matched a window at a time:
     * at most {@link #WINDOW} new chars plus the {@link #OVERLAP} carried from the previous window
     * are held, whatever the size of the message or the number of its parts.
     */
    private final class Windows {
        private final String headers;
        private final StringBuilder pending = new StringBuilder();
        private String carried = "";
        private boolean matchedOnce;
        private int best = Integer.MAX_VALUE;

        Windows(String headers) {
            this.headers = headers;
        }

        /** Whether the first rule matched already: nothing later can change the verdict. */
        boolean decided() {
            return best == 0;
        }

        void add(String text) {
            if (!pending.isEmpty() && pending.length() + text.length() > WINDOW) {
                match();
            }
            pending.append(text);
        }

        /** Matches what is still pending (and the headers, if nothing was matched yet); the best rule index. */
        int finish() {
            if (!pending.isEmpty() || !matchedOnce) {
                match();
            }
            return best;
        }

        private void match() {
            String body = carried + pending;
            pending.setLength(0);
            best = Math.min(best, firstMatch(headers, body, best, !matchedOnce));
            matchedOnce = true;
            carried = body.substring(Math.max(0, body.length() - OVERLAP));
        }
    }

    /**
     * Index of the first rule before {@code below} that matches, else Integer.MAX_VALUE. The
     * headers are the same for every window: header-only rules are tried with the first only.
     */
    private int firstMatch(String headers, String body, int below, boolean withHeaderRules) {
        String text = null;
        for (Rule r : rules) {
            if (r.index >= below) {
                break;
            }
            String target = switch (r.where) {
                case "header" -> withHeaderRules ? headers : null;
                case "body" -> body;
                default -> text == null ? (text = headers + "\r\n" + body) : text;
            };
            if (target != null && r.pattern.matcher(target).find()) {
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

    /**
     * Streams the decoded text/* parts (transfer encoding and charset undone) into the windows,
     * every part whole: decoding never makes text longer than its encoding, so this reads at most
     * as many chars as the message has bytes, {@link #DECODE_CHUNK} at a time.
     */
    private static void decodeText(InputStream message, Windows windows) {
        MimeConfig mc = MimeConfig.custom().setMaxLineLen(-1).setMaxHeaderLen(-1).setMaxHeaderCount(-1)
                .setMaxContentLen(-1).build();
        MimeStreamParser parser = new MimeStreamParser(mc);
        parser.setContentDecoding(true);
        parser.setContentHandler(new AbstractContentHandler() {
            @Override
            public void body(BodyDescriptor bd, InputStream is) throws IOException {
                String type = bd.getMimeType() == null ? "text/plain" : bd.getMimeType().toLowerCase(Locale.ROOT);
                String cte = bd.getTransferEncoding() == null ? "7bit" : bd.getTransferEncoding().toLowerCase(Locale.ROOT);
                if (!type.startsWith("text/") || !(cte.equals("base64") || cte.equals("quoted-printable"))) {
                    return; // 7bit/8bit text is already in the raw body
                }
                Charset cs;
                try {
                    cs = bd.getCharset() == null ? StandardCharsets.ISO_8859_1 : Charset.forName(bd.getCharset());
                } catch (RuntimeException e) {
                    cs = StandardCharsets.ISO_8859_1;
                }
                windows.add("\r\n");
                Reader text = new InputStreamReader(is, cs);
                char[] chunk = new char[DECODE_CHUNK];
                for (int n = text.read(chunk); n >= 0 && !windows.decided(); n = text.read(chunk)) {
                    windows.add(new String(chunk, 0, n));
                }
                if (windows.decided()) {
                    parser.stop();
                }
            }
        });
        try {
            parser.parse(message);
        } catch (MimeException | IOException | RuntimeException e) {
            // what could be decoded was matched; the raw text is matched anyway
        }
    }
}
