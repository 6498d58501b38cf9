package net.trustbl.gateway.filter;

import io.vertx.core.Future;
import io.vertx.core.Promise;
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
import org.jboss.logging.Logger;

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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
 *
 * <p>The rules are the operator's but the text is the sender's, so a rule that backtracks
 * catastrophically on crafted text must not hold a thread for long: the whole scan of a message
 * (every rule on every window and decoded part) has one deadline, {@code
 * gateway.content.scan-timeout}, noticed by the text the regexes read (see {@link TimedText}). A
 * small message is scanned on the event loop, but for at most {@link #INLINE_BUDGET_NANOS}; a scan
 * that needs longer starts again from the beginning on a worker thread. A scan not done by the
 * deadline (still waiting for a worker, or still running) says nothing about the message: it is
 * deferred with 451 4.3.2, also when uninspectable mail is rejected (an overloaded gateway defers
 * mail, never bounces it), or passed tagged when uninspectable mail is tagged.
 */
@ApplicationScoped
public class ContentFilter implements Filter {

    private static final Logger LOG = Logger.getLogger(ContentFilter.class);

    /** Messages up to this size are matched on the event loop; bigger ones on a worker thread. */
    static final int INLINE_LIMIT = 256 * 1024;
    /**
     * The most a scan may hold the event loop, where every SMTP session of that loop waits for it.
     * A plain case-insensitive rule reads some 50 to 90 MB/s (measured on 2 cores), so mail of tens
     * of KiB is scanned in a millisecond or so and a message of {@link #INLINE_LIMIT} with a few
     * rules still fits. A scan that needs longer (many rules on a big message, or a rule that
     * backtracks on this text) is given up here and started again on a worker thread, with the rest
     * of the scan-timeout: one slow rule must not stall every session of the loop.
     */
    static final long INLINE_BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
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
    /** The verdict on a message whose scan did not finish within {@link #scanTimeoutNanos}. */
    private final Verdict timedOut;
    private final long scanTimeoutNanos;

    public ContentFilter(Vertx vertx, GatewayConfig config) {
        this.vertx = vertx;
        this.scanTimeoutNanos = config.content().scanTimeout().toNanos();
        if (scanTimeoutNanos <= 0) {
            throw new IllegalArgumentException("gateway.content.scan-timeout must be positive, not " + config.content().scanTimeout());
        }
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
        // running out of time is no finding about the message (the gateway may just be busy): never a bounce
        this.timedOut = action.equals("tag") ? Verdict.tag("X-TrustBL-Content: uninspectable (scan timed out)", null)
                : Verdict.tempfail(451, "4.3.2", "Content scan timed out, try again later");
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
        long start = System.nanoTime();
        long deadline = start + scanTimeoutNanos;
        if (message.size() <= INLINE_LIMIT) {
            boolean whole = scanTimeoutNanos <= INLINE_BUDGET_NANOS;
            try {
                return Future.succeededFuture(scan(message, new ScanClock(whole ? deadline : start + INLINE_BUDGET_NANOS)));
            } catch (ScanTimedOut e) {
                if (whole) {
                    logTimeout(tx, where(e.rule), start);
                    return Future.succeededFuture(timedOut);
                }
                // too slow for the event loop: from the beginning again, on a worker thread
                LOG.debugf("content scan needs more than %d ms on the event loop (%s): scanning on a worker",
                        TimeUnit.NANOSECONDS.toMillis(INLINE_BUDGET_NANOS), where(e.rule));
            }
        }
        return onWorker(tx, message, start, deadline);
    }

    /**
     * Scans on a worker thread under the deadline. A timer answers for a scan still queued for a
     * worker at the deadline (the scan is then skipped: under overload it would only add to it), or
     * one running but not at a check of the deadline (it stops at its next).
     */
    private Future<Verdict> onWorker(Transaction tx, MessageContent message, long start, long deadline) {
        Promise<Verdict> answer = Promise.promise();
        AtomicBoolean answered = new AtomicBoolean(); // the first of the timer and the scan answers (and logs)
        AtomicBoolean taken = new AtomicBoolean();
        ScanClock clock = new ScanClock(deadline);
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) + 1;
        long timer = vertx.setTimer(Math.max(1, left), id -> {
            if (answered.compareAndSet(false, true)) {
                logTimeout(tx, taken.getAndSet(true) ? where(clock.rule) + ", still running" : "waiting for a worker thread", start);
                answer.complete(timedOut);
            }
        });
        vertx.executeBlocking(() -> taken.getAndSet(true) ? null : scan(message, clock), false).onComplete(done -> {
            vertx.cancelTimer(timer);
            if (!answered.compareAndSet(false, true)) {
                return;
            }
            if (done.succeeded()) {
                answer.complete(done.result());
            } else if (done.cause() instanceof ScanTimedOut late) {
                logTimeout(tx, where(late.rule), start);
                answer.complete(timedOut);
            } else {
                answer.fail(done.cause());
            }
        });
        return answer.future();
    }

    private static String where(int rule) {
        return rule >= 0 ? "in gateway.content.rules[" + rule + "]" : "reading the message";
    }

    /** One line for a scan that ran out of time: where it was, never what the message says. */
    private void logTimeout(Transaction tx, String where, long start) {
        LOG.warnf("content scan of a %d-byte message from %s (session %s) timed out after %d ms %s: %s",
                tx.message.size(), tx.clientAddress, tx.sessionId,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), where,
                timedOut.kind() == Verdict.Kind.TAG ? "passed tagged" : "deferred");
    }

    /**
     * The first rule (in configured order) that matches. The body is read in windows of
     * {@link #WINDOW} chars that overlap by {@link #OVERLAP}, so a spooled message is never held
     * whole; a match longer than the overlap that straddles two windows is not seen. The decoded
     * text parts follow the raw body in the same windows. Throws {@link ScanTimedOut} when the
     * clock's deadline passes first.
     */
    private Verdict scan(MessageContent message, ScanClock clock) {
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
        Windows windows = new Windows(headers, clock);
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
        private final ScanClock clock;
        private final StringBuilder pending = new StringBuilder();
        private String carried = "";
        private boolean matchedOnce;
        private int best = Integer.MAX_VALUE;

        Windows(String headers, ScanClock clock) {
            this.headers = headers;
            this.clock = clock;
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
            best = Math.min(best, firstMatch(headers, body, best, !matchedOnce, clock));
            matchedOnce = true;
            carried = body.substring(Math.max(0, body.length() - OVERLAP));
        }
    }

    /**
     * Index of the first rule before {@code below} that matches, else Integer.MAX_VALUE. The
     * headers are the same for every window: header-only rules are tried with the first only.
     */
    private int firstMatch(String headers, String body, int below, boolean withHeaderRules, ScanClock clock) {
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
            if (target == null) {
                continue;
            }
            clock.rule = r.index;
            boolean found = r.pattern.matcher(new TimedText(target, clock)).find();
            clock.rule = -1;
            if (found) {
                return r.index;
            }
        }
        return Integer.MAX_VALUE;
    }

    /**
     * One message's scan: the deadline all its windows, rules and decoded parts share, and the rule
     * being matched (-1: none), for the log line of a scan that runs out of time. Only the rules
     * read the clock (see {@link TimedText}): reading and decoding the message take time in
     * proportion to its size, and a scan on a worker that is late in them is answered by the timer.
     */
    private static final class ScanClock {
        final long deadline;
        volatile int rule = -1;

        ScanClock(long deadline) {
            this.deadline = deadline;
        }

        void check() {
            if (System.nanoTime() - deadline > 0) {
                throw new ScanTimedOut(rule);
            }
        }
    }

    /** The deadline of a message's scan passed while {@link #rule} ran. */
    private static final class ScanTimedOut extends RuntimeException {
        final int rule;

        ScanTimedOut(int rule) {
            super(null, null, false, false); // caught by the filter: a stack trace would only cost time
            this.rule = rule;
        }
    }

    /**
     * The text a rule is matched against, as the regex engine reads it: every char it tries goes
     * through {@link #charAt}, so however the rule backtracks, it notices the deadline within a few
     * thousand reads. The clock is read once every {@link #CHECK_EVERY} reads (a counter and a mask,
     * nothing allocated), which keeps a plain rule's cost close to matching the String itself (5 to
     * 10% more, measured). A rule that reads fewer chars of a text never reads the clock: small mail
     * pays nothing for it and is never sent off the event loop by a slow start (class loading, a
     * busy machine) before its rules ran.
     */
    private static final class TimedText implements CharSequence {
        /** A power of two: the clock costs some 20 ns, a char read about 1. */
        private static final int CHECK_EVERY = 4096;

        private final String text;
        private final ScanClock clock;
        private int reads;

        TimedText(String text, ScanClock clock) {
            this.text = text;
            this.clock = clock;
        }

        @Override
        public char charAt(int index) {
            if ((++reads & (CHECK_EVERY - 1)) == 0) {
                clock.check();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new TimedText(text.substring(start, end), clock);
        }

        @Override
        public String toString() {
            return text;
        }
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
        } catch (ScanTimedOut e) {
            throw e;
        } catch (MimeException | IOException | RuntimeException e) {
            // what could be decoded was matched; the raw text is matched anyway
        }
    }
}
