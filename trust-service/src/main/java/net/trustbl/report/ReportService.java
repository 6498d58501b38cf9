package net.trustbl.report;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import net.trustbl.common.ProblemException;
import net.trustbl.common.RateLimiter;
import net.trustbl.common.TrustBlConfig;
import net.trustbl.address.AddressClass;
import net.trustbl.address.IpBlock;
import net.trustbl.engine.Verdict;
import net.trustbl.journal.EventJournal;
import net.trustbl.journal.JournalEntry;
import net.trustbl.journal.Receipt;
import net.trustbl.member.AccountQuotas;
import net.trustbl.member.AccountStanding;
import net.trustbl.member.Caller;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/** Validates reports, applies the per-key rate limit and the account's daily cap, and hands them to the journal. */
@ApplicationScoped
public class ReportService {

    static final Pattern CATEGORY = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    static final int MAX_NOTE = 1000;

    @Inject
    EventJournal journal;

    @Inject
    TrustBlConfig config;

    @Inject
    AccountQuotas quotas;

    @Inject
    AccountStanding standing;

    private RateLimiter limiter;

    @jakarta.annotation.PostConstruct
    void init() {
        limiter = new RateLimiter(config.reports().ratePerSecond(), config.reports().burst());
    }

    /** Parses a single report object or an array of them; every rule broken names its field and index. */
    public List<JournalEntry> parse(JsonNode body, long memberId, String channel) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            throw ProblemException.badRequest("a JSON report object or an array of report objects is required");
        }
        List<JsonNode> items = new ArrayList<>();
        if (body.isArray()) {
            body.forEach(items::add);
        } else {
            items.add(body);
        }
        if (items.isEmpty()) {
            throw ProblemException.invalid("reports", "min-items", "the array holds no reports");
        }
        int max = config.reports().maxBatch();
        if (items.size() > max) {
            throw ProblemException.tooLarge("reports", "max-items", "at most " + max + " reports per request, got " + items.size());
        }
        List<JournalEntry> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            out.add(parseOne(items.get(i), body.isArray() ? i : null, memberId, channel));
        }
        return out;
    }

    private JournalEntry parseOne(JsonNode n, Integer index, long memberId, String channel) {
        if (!n.isObject()) {
            throw problem(index, "report", "type", "each report must be a JSON object");
        }
        IpBlock ip = validateTarget(text(n, "ip", index, true), index);
        Verdict verdict = verdict(text(n, "verdict", index, true), index);
        String category = category(text(n, "category", index, false), index);
        String note = note(text(n, "note", index, false), index);
        return new JournalEntry.NewReport(memberId, ip, verdict, category, note, channel, 1.0);
    }

    /**
     * The verdict rule, shared by the API and the web form: no default, a report that does not
     * say spam or trusted is refused (422 field=verdict).
     */
    public static Verdict verdict(String text, Integer index) {
        if (text == null || text.isBlank()) {
            throw problem(index, "verdict", "required", "verdict is required: 'spam' or 'trusted'");
        }
        try {
            return Verdict.parse(text);
        } catch (IllegalArgumentException e) {
            throw problem(index, "verdict", "enum", "verdict must be 'spam' or 'trusted'");
        }
    }

    /** The category rule (null: none), shared by the API and the web form. */
    public static String category(String category, Integer index) {
        if (category != null && !CATEGORY.matcher(category).matches()) {
            throw problem(index, "category", "format", "category must be 1-40 lower-case letters, digits or dashes");
        }
        return category;
    }

    /** The note rule (null: none), shared by the API and the web form. */
    public static String note(String note, Integer index) {
        if (note != null && note.length() > MAX_NOTE) {
            throw problem(index, "note", "max-length", "note must have at most " + MAX_NOTE + " characters");
        }
        return note;
    }

    /**
     * The address rules: a public address, or a block no wider than /24 (IPv4) or /64 (IPv6).
     * With {@code trustbl.reports.allow-loopback} (demos and drills on one machine) 127.0.0.0/8
     * other than 127.0.0.1 is accepted too.
     */
    public IpBlock validateTarget(String text, Integer index) {
        return validateTarget(text, index, config.reports().allowLoopback());
    }

    static IpBlock validateTarget(String text, Integer index, boolean allowLoopback) {
        IpBlock ip;
        try {
            ip = IpBlock.parse(text);
        } catch (IllegalArgumentException e) {
            throw problem(index, "ip", "format", e.getMessage());
        }
        int widest = ip.isV6() ? 64 : 24;
        if (ip.prefixLength() < widest) {
            throw problem(index, "ip", "max-prefix", "CIDR block too wide: at most /" + widest + " for "
                    + (ip.isV6() ? "IPv6" : "IPv4") + ", got /" + ip.prefixLength());
        }
        AddressClass cls = ip.addressClass();
        if (cls == AddressClass.PUBLIC || cls == AddressClass.TEST_POINT_LISTED
                || (allowLoopback && cls == AddressClass.LOOPBACK && !ip.isV6())) {
            return ip;
        }
        throw problem(index, "ip", "public-address", cls.rejection() + ": " + ip);
    }

    private static String text(JsonNode n, String field, Integer index, boolean required) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw problem(index, field, "required", field + " is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw problem(index, field, "type", field + " must be a string");
        }
        return v.asText();
    }

    private static ProblemException problem(Integer index, String field, String rule, String detail) {
        String where = index == null ? "" : "reports[" + index + "]: ";
        return index == null ? ProblemException.invalid(field, rule, detail)
                : ProblemException.invalidAt(index, field, rule, where + detail);
    }

    /**
     * Rate-limits by key (one token per report), counts the reports against the account's daily cap
     * (all its keys together) and queues them, weighed or not (see {@link #weighed}).
     */
    public CompletableFuture<List<Receipt>> submit(Caller caller, List<JournalEntry> reports) {
        chargeRate(caller, reports.size());
        quotas.chargeReports(caller.memberId(), reports.size());
        return journal.submit(weighed(caller.memberId(), reports));
    }

    /** True when the member's reports weigh now (its email is confirmed, or an admin vouched for it). */
    public boolean weighs(long memberId) {
        return standing.confirmed(memberId);
    }

    /**
     * An account's reports weigh nothing and earn nothing until its email is confirmed: they are
     * stored and shown to the member like any other, but journaled with strength 0, which the engine
     * neither counts nor rewards. Opening accounts is therefore worth nothing without a mailbox each.
     */
    public List<JournalEntry> weighed(long memberId, List<JournalEntry> reports) {
        if (weighs(memberId)) {
            return reports;
        }
        List<JournalEntry> out = new ArrayList<>(reports.size());
        for (JournalEntry e : reports) {
            out.add(e instanceof JournalEntry.NewReport r ? new JournalEntry.NewReport(r.memberId(), r.ip(), r.verdict(),
                    r.category(), r.note(), r.channel(), 0.0) : e);
        }
        return out;
    }

    /**
     * Charges {@code items} against the caller's per-key rate limit (the one reports use; trap
     * hits share it), or throws 429 with Retry-After.
     */
    public void chargeRate(Caller caller, int items) {
        limiter.acquire(caller.keyId() == null ? "member:" + caller.memberId() : caller.keyId(), items);
    }
}
