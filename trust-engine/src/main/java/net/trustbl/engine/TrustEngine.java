package net.trustbl.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The trust engine: events in, decisions out. Plain Java, single-threaded (the caller serializes
 * calls), no I/O. Its state is a pure function of the ordered events applied so far: before an
 * event at time t is handled, every expiry due at or before t is processed, so how often
 * {@link EngineEvent.Tick} arrives never changes a result.
 *
 * <p>The rules, in the words a blocked sender would want:
 * <ul>
 *   <li>Each spam report weighs its reporter's trust (0..1) times its strength; fresh evidence
 *       weighs fully for a day, a quarter after two days, nothing after a week. Spam-trap hits
 *       weigh {@link EngineConfig#trapHitWeight()} each. Positive ("trusted") reports subtract.</li>
 *   <li>An address is listed when that score reaches the threshold (two members at trust 0.5);
 *       the threshold grows with the address's lookup volume, and evidence that passes the plain
 *       threshold but not the volume bar is held for a moderator instead.</li>
 *   <li>Reports from accounts younger than a week or below trust 0.1 count for nothing (unless an
 *       admin pinned the member's trust); suspended members' reports stop counting.</li>
 *   <li>A listing lapses 24 h after its last supporting evidence; it ends at once when a
 *       moderator upholds a delisting request or trusted positive reports outweigh it, and then
 *       every reporter of the address (and every member whose trap feed supported it) takes a
 *       strike (trust halved, later gains halved).</li>
 *   <li>127.0.0.2 is always listed, 127.0.0.1 never (RFC 5782); allow ranges are never listed.</li>
 * </ul>
 */
public final class TrustEngine {

    /** RFC 5782 test points: the first two are always listed, the last two never. */
    public static final IpBlock TEST_LISTED = AddressRules.TEST_LISTED;
    public static final IpBlock TEST_LISTED_V6 = AddressRules.TEST_LISTED_V6;
    public static final IpBlock TEST_UNLISTED = AddressRules.TEST_UNLISTED;
    public static final IpBlock TEST_UNLISTED_V6 = AddressRules.TEST_UNLISTED_V6;

    /** Return codes (last octet of 127.0.0.x). */
    public static final int CODE_REPORTS = AddressRules.CODE_REPORTS;
    public static final int CODE_TRAPS = AddressRules.CODE_TRAPS;

    /** Forgetting idle addresses is a full pass over the book: daily is plenty. */
    private static final double EPSILON = 1e-9;
    private static final long SWEEP_EVERY = 7 * EngineConfig.DAY;

    private final EngineConfig config;
    private final MemberBook members;
    private final EvidenceBook book = new EvidenceBook();
    private final ScoreRule scores;
    private final VolumeRule volume;
    private final ExpiryClock clock = new ExpiryClock();
    private final ScoreRule.Tally tally = new ScoreRule.Tally();
    private final AddressRules addresses;
    private final Explainer explainer;
    private final Confirmations confirmations;
    private long now = Long.MIN_VALUE;
    private long nextSweepAt = Long.MAX_VALUE;
    private long eventsApplied;
    private final String expiredReason;

    public TrustEngine(EngineConfig config) {
        this.config = config;
        this.members = new MemberBook(config);
        this.scores = new ScoreRule(config, members);
        this.volume = new VolumeRule(config);
        this.addresses = new AddressRules(config);
        this.explainer = new Explainer(config, scores, volume, addresses);
        this.confirmations = new Confirmations(config, members, scores);
        this.expiredReason = "expired: no new evidence for " + hours(config.listingTtlMillis()) + " h";
    }

    public EngineConfig config() {
        return config;
    }

    /** Applies one event and hands every resulting decision to {@code out}, in order. */
    public void apply(EngineEvent event, Consumer<Decision> out) {
        // times never go back: a late event counts as happening now (replays stay identical)
        long t = now == Long.MIN_VALUE ? event.atMillis() : Math.max(now, event.atMillis());
        if (nextSweepAt == Long.MAX_VALUE) {
            nextSweepAt = Math.floorDiv(t, SWEEP_EVERY) * SWEEP_EVERY + SWEEP_EVERY;
        }
        advanceTo(t, out);
        eventsApplied++;
        if (event instanceof EngineEvent.TrafficObserved e) {
            onTraffic(e, t, out);
        } else if (event instanceof EngineEvent.ReportFiled e) {
            onReport(e, t, out);
        } else if (event instanceof EngineEvent.TrapHit e) {
            onTrap(e, t, out);
        } else if (event instanceof EngineEvent.MemberJoined e) {
            members.join(e.memberId(), e.atMillis());
        } else if (event instanceof EngineEvent.DelistingDecided e) {
            onDelisting(e, t, out);
        } else if (event instanceof EngineEvent.TrustPinned e) {
            MemberState m = members.getOrJoin(e.memberId(), t);
            members.pin(m, e.trust(), t, out);
            rejudgeTargets(m, t, out, "a reporter's trust was changed by an admin");
        } else if (event instanceof EngineEvent.MemberSuspended e) {
            MemberState m = members.getOrJoin(e.memberId(), t);
            if (m.suspended != e.suspended()) {
                m.suspended = e.suspended();
                rejudgeTargets(m, t, out, "a reporter was suspended");
            }
        }
        // Tick: advancing the clock was all it had to do
    }

    /** Convenience form of {@link #apply(EngineEvent, Consumer)}. */
    public List<Decision> apply(EngineEvent event) {
        List<Decision> out = new ArrayList<>(2);
        apply(event, out::add);
        return out;
    }

    /** Why {@code ip} is or is not listed, as of {@code nowMillis}; works for any block. */
    public Explanation explain(IpBlock ip, long nowMillis) {
        if (AddressRules.isAlwaysListed(ip)) {
            return explainer.testPoint();
        }
        if (AddressRules.isNeverListed(ip)) {
            return explainer.neverListed("never listed: RFC 5782 test point");
        }
        IpEvidence own = book.get(ip);
        if (own != null && own.listed() && own.expiresAtMillis > nowMillis) {
            return explainer.explain(own, nowMillis);
        }
        IpEvidence container = book.listedContainer(ip);
        if (container != null && container.expiresAtMillis > nowMillis) {
            return explainer.explain(container, nowMillis);
        }
        if (own != null) {
            return explainer.explain(own, nowMillis);
        }
        return addresses.allowed(ip) ? explainer.neverListed("never listed: operator allow range") : Explanation.none(config.listThreshold());
    }

    /** Every current listing (including the RFC 5782 test points), in address order. */
    public List<Listing> listings() {
        List<Listing> out = new ArrayList<>(book.listedCount() + 2);
        out.add(new Listing(TEST_LISTED, CODE_REPORTS, explainer.testPoint()));
        out.add(new Listing(TEST_LISTED_V6, CODE_REPORTS, explainer.testPoint()));
        long at = now == Long.MIN_VALUE ? 0 : now;
        for (IpEvidence e : book.listed()) {
            out.add(new Listing(e.ip, e.returnCode, explainer.explain(e, at)));
        }
        out.sort((a, b) -> a.ip().compareTo(b.ip()));
        return out;
    }

    /** The member's trust state, or null when the engine never heard of the member. */
    public MemberTrust member(long memberId) {
        MemberState m = members.get(memberId);
        return m == null ? null : m.view();
    }

    /** Number of current listings (test points excluded); cheap. */
    public int listingCount() {
        return book.listedCount();
    }

    /** Whether {@code ip} (or a block containing it) is listed right now; cheap, no allocation for single IPs. */
    public boolean isListed(IpBlock ip) {
        if (AddressRules.isAlwaysListed(ip)) {
            return true;
        }
        if (AddressRules.isNeverListed(ip)) {
            return false;
        }
        IpEvidence own = book.get(ip);
        return (own != null && own.listed()) || book.listedContainer(ip) != null;
    }

    /** Addresses and blocks the engine holds state for (a memory gauge; idle ones are forgotten weekly). */
    public int trackedAddresses() {
        return book.size();
    }

    /** The engine's clock: the time of the latest event applied (Long.MIN_VALUE before any). */
    public long nowMillis() {
        return now;
    }

    public long eventsApplied() {
        return eventsApplied;
    }

    // ---------------------------------------------------------------- time

    private void advanceTo(long t, Consumer<Decision> out) {
        while (true) {
            long nextExpiry = clock.nextAt();
            if (nextExpiry <= t && nextExpiry <= nextSweepAt) {
                now = Math.max(now, nextExpiry);
                IpEvidence due = clock.pollDue(nextExpiry);
                if (due != null) {
                    unlist(due, nextExpiry, out, expiredReason);
                    due.lapsedAt = nextExpiry; // a repeat offender: new evidence this week meets the lowered bar
                }
            } else if (nextSweepAt <= t) {
                // after a long quiet gap one sweep does the work of many (sweeping is unobservable)
                long until = Math.min(t, nextExpiry);
                if (nextSweepAt + SWEEP_EVERY <= until) {
                    nextSweepAt = Math.floorDiv(until, SWEEP_EVERY) * SWEEP_EVERY;
                }
                now = Math.max(now, nextSweepAt);
                book.sweep(nextSweepAt, config.evidenceMaxAgeMillis(), config.lookupHalfLifeMillis(),
                        Math.max(0.5, config.volumeLookupsPerThreshold() / 100));
                nextSweepAt += SWEEP_EVERY;
            } else {
                break;
            }
        }
        now = t;
    }

    // ---------------------------------------------------------------- events

    private void onTraffic(EngineEvent.TrafficObserved e, long t, Consumer<Decision> out) {
        if (e.lookups() <= 0 || e.ip() == null) {
            return;
        }
        IpBlock ip = e.ip();
        IpEvidence own = book.getOrCreate(ip);
        own.addLookups(e.lookups(), t, config.lookupHalfLifeMillis());
        own.markTrafficDay(t, e.lookups(), config.tenureMinLookupsPerDay());
        volume.observed(own, own.lookups(t, config.lookupHalfLifeMillis()), t);
        if (!own.listed() && (!own.reports.isEmpty() || own.trapSize > 0)) {
            // the first lookups tell that an address has just started sending: its evidence is
            // judged again (reports often arrive before the first lookup count)
            evaluate(own, t, out);
        }
        int[] prefixes = book.prefixesInUse(ip.isV6());
        for (int p : prefixes) {
            if (p < ip.prefixLength()) {
                IpEvidence block = book.get(ip.widen(p));
                if (block != null) {
                    block.addLookups(e.lookups(), t, config.lookupHalfLifeMillis());
                    volume.observed(block, block.lookups(t, config.lookupHalfLifeMillis()), t);
                }
            }
        }
    }

    private void onReport(EngineEvent.ReportFiled e, long t, Consumer<Decision> out) {
        MemberState m = members.getOrJoin(e.memberId(), t);
        IpBlock target = e.target();
        if (target == null || e.verdict() == null || !AddressRules.reportable(target)) {
            return;
        }
        double strength = Double.isNaN(e.strength()) ? 0 : Math.max(0, Math.min(1, e.strength()));
        boolean agedEnough = members.agedEnough(m, t);
        if (strength == 0 || m.suspended || (!agedEnough && !m.pinned())) {
            return; // it can never weigh anything (unconfirmed account, too young, suspended): no state
        }
        IpEvidence ip = book.getOrCreate(target);
        ip.prune(t - config.evidenceMaxAgeMillis());
        boolean spam = e.verdict() == Verdict.SPAM;
        for (int i = 0, n = ip.reports.size(); i < n; i++) {
            ReportEntry old = ip.reports.get(i);
            if (old.member == m && old.spam == spam) {
                old.superseded = true; // a member counts once per address and verdict
            }
        }
        ReportEntry r = new ReportEntry(e.reportId(), m, spam, t, strength, agedEnough);
        boolean visiblyListed = ip.listed() || book.listedContainer(target) != null;
        if (spam && !visiblyListed) {
            // a claim: judged for the member's precision; it can earn trust only if it came early,
            // while the address's score was low (piling onto an address near its bar earns nothing)
            scores.tally(ip, t, tally);
            double bar = volume.threshold(ip, ip.lookups(t, config.lookupHalfLifeMillis()), t);
            r.claim = true;
            r.early = tally.score(bar) < config.earlyShare() * bar;
            members.claimFiled(m, t);
        }
        ip.reports.add(r);
        m.rememberTarget(ip, t, config.evidenceMaxAgeMillis());
        if (spam && visiblyListed) {
            // agreeing with a visible listing confirms the report but earns nothing: trust is
            // earned by warning early, not by echoing the list (which anyone can read)
            r.outcome = ReportOutcome.CONFIRMED;
            members.echoConfirmed(m);
            out.accept(new Decision.ReportOutcomeChanged(r.reportId, ReportOutcome.CONFIRMED, t));
        }
        evaluate(ip, t, out);
    }

    private void onTrap(EngineEvent.TrapHit e, long t, Consumer<Decision> out) {
        if (e.hits() <= 0 || e.ip() == null || !AddressRules.reportable(e.ip())) {
            return;
        }
        IpEvidence ip = book.getOrCreate(e.ip());
        ip.prune(t - config.evidenceMaxAgeMillis());
        MemberState by = e.memberId() == null ? null : members.getOrJoin(e.memberId(), t);
        ip.addTrap(t, e.hits(), by);
        if (by == null) {
            // the operator's traps are independent evidence: they confirm (and earn) earlier
            // reports, end the address's clean history, and show its vouchers wrong (unless it is
            // a busy shared sender, where some trapped spam is no sign that vouching was a lie)
            confirmations.confirmPending(ip, t, out, true);
            if (!volume.busy(ip, ip.lookups(t, config.lookupHalfLifeMillis()))) {
                ip.clearHistory();
                confirmations.strikeVouchers(ip, t, out);
            }
        } else {
            // a member's trap feed is that member's word: it confirms reports only through a
            // listing (like any report), and a pin or suspension of the member re-judges it
            by.rememberTarget(ip, t, config.evidenceMaxAgeMillis());
        }
        evaluate(ip, t, out);
    }

    private void onDelisting(EngineEvent.DelistingDecided e, long t, Consumer<Decision> out) {
        if (e.ip() == null || !AddressRules.reportable(e.ip())) {
            return;
        }
        IpEvidence ip = book.get(e.ip());
        if (e.upheld()) {
            if (ip != null) {
                clearSpamEvidence(ip, t, out, "removed: a moderator upheld the delisting request");
            }
            // the sender's listing may have come from a block around it
            IpEvidence container = book.listedContainer(e.ip());
            while (container != null) {
                clearSpamEvidence(container, t, out, "removed: a moderator upheld the delisting request for " + e.ip());
                container = book.listedContainer(e.ip());
            }
            return;
        }
        // the moderator found the evidence right: reports are confirmed, a hold is lifted
        if (ip == null) {
            return;
        }
        ip.prune(t - config.evidenceMaxAgeMillis());
        confirmations.confirmPending(ip, t, out, true);
        confirmations.strikeVouchers(ip, t, out);
        if (ip.held || !ip.listed()) {
            ip.volumeWaived = true; // waives the volume bar and the clean-history hold alike
        }
        evaluate(ip, t, out);
    }

    // ---------------------------------------------------------------- judgement

    /** Re-judges an address after new evidence at time t: list, hold, change code, renew or clear. */
    private void evaluate(IpEvidence ip, long t, Consumer<Decision> out) {
        if (AddressRules.isNeverListed(ip.ip) || addresses.allowed(ip.ip)) {
            return;
        }
        scores.tally(ip, t, tally);
        double lookups = ip.lookups(t, config.lookupHalfLifeMillis());
        double threshold = volume.threshold(ip, lookups, t);
        double score = tally.score(threshold) + EPSILON; // sums of trusts like 10 x 0.1 must reach 1.0
        if (ip.listed()) {
            if (!ip.escalated) {
                confirmations.earnIndependent(ip, t, out, score, threshold);
                if (tally.positiveEstablished >= config.minPositiveToClear() && !ip.disputed) {
                    // vouching never clears a listing (nor strikes its reporters) by itself
                    ip.disputed = true;
                    out.accept(new Decision.HeldForModeration(ip.ip, "disputed: established members vouch for this listed sender ("
                            + tally.positiveReports + " positive reports); a moderator decides", explainer.explain(ip, t), t));
                }
            }
            if (!ip.escalated) {
                int code = tally.trapHits > 0 ? CODE_TRAPS : CODE_REPORTS;
                if (code != ip.returnCode) {
                    Decision.Change change = code > ip.returnCode ? Decision.Change.RAISED : Decision.Change.LOWERED;
                    ip.returnCode = code;
                    out.accept(new Decision.ListingChanged(ip.ip, change, code, explainer.explain(ip, t), t,
                            code == CODE_TRAPS ? "spam-trap hits" : "no recent spam-trap hits"));
                }
            }
            renew(ip, tally.lastSupport);
            return;
        }
        if (score >= threshold && tally.lastSupport + config.listingTtlMillis() > t) {
            int cleanDays = ip.volumeWaived ? 0 : ip.cleanDays(t);
            if (cleanDays >= config.tenureMinDays()) {
                // an address with a long clean record is not listed automatically: members' word
                // alone cannot do it (a trap hit on a quiet address wipes the record first), and a
                // busy shared sender always goes to a moderator
                if (!ip.held) {
                    ip.held = true;
                    out.accept(new Decision.HeldForModeration(ip.ip, "clean history (" + cleanDays
                            + " days of lookups without a listing or trap hit): a moderator decides; score "
                            + Explainer.twoDecimals(score) + " reached " + Explainer.twoDecimals(threshold), explainer.explain(ip, t), t));
                }
                return;
            }
            list(ip, tally.trapHits > 0 ? CODE_TRAPS : CODE_REPORTS, tally.lastSupport, t, out, listReason(score, threshold));
        } else if (score >= config.listThreshold() && score < threshold) {
            if (!ip.held) {
                ip.held = true;
                out.accept(new Decision.HeldForModeration(ip.ip, String.format(Locale.ROOT,
                        "high-volume sender (%d recent lookups): score %.2f passes %.2f but not the volume bar %.2f",
                        Math.round(lookups), score, config.listThreshold(), threshold), explainer.explain(ip, t), t));
            }
        } else {
            ip.held = false;
        }
    }

    /** Built by hand: String.format costs microseconds and listings are made on the hot path. */
    private String listReason(double score, double threshold) {
        return "listed: score " + Explainer.twoDecimals(score) + " reached " + Explainer.twoDecimals(threshold) + " (" + tally.spamReports
                + " spam reports, " + tally.trapHits + " trap hits, " + tally.positiveReports + " positive reports)";
    }


    private void list(IpEvidence ip, int code, long lastSupport, long t, Consumer<Decision> out, String reason) {
        ip.returnCode = code;
        ip.listedSinceMillis = t;
        ip.expiresAtMillis = lastSupport + config.listingTtlMillis();
        ip.held = false;
        clock.schedule(ip, ip.expiresAtMillis);
        book.markListed(ip);
        out.accept(new Decision.ListingChanged(ip.ip, Decision.Change.CREATED, code, explainer.explain(ip, t), t, reason));
        if (!ip.escalated) {
            ip.clearHistory();
            confirmations.confirmPending(ip, t, out, false);
            double bar = volume.threshold(ip, ip.lookups(t, config.lookupHalfLifeMillis()), t);
            confirmations.earnIndependent(ip, t, out, tally.score(bar) + EPSILON, bar);
            escalateIfSnowshoe(ip, t, out);
        }
    }

    private void renew(IpEvidence ip, long lastSupport) {
        long expires = lastSupport + config.listingTtlMillis();
        if (expires > ip.expiresAtMillis) {
            ip.expiresAtMillis = expires;
            clock.schedule(ip, expires);
            if (config.snowshoeMinListed() > 0 && ip.ip.isSingleAddress()) {
                IpEvidence block = book.get(snowshoeBlock(ip.ip));
                if (block != null && block.listed() && block.escalated && block.expiresAtMillis < expires) {
                    block.expiresAtMillis = expires;
                    clock.schedule(block, expires);
                }
            }
        }
    }

    private void unlist(IpEvidence ip, long t, Consumer<Decision> out, String reason) {
        if (!ip.listed()) {
            return;
        }
        ip.returnCode = 0;
        ip.listedSinceMillis = 0;
        ip.expiresAtMillis = 0;
        ip.volumeWaived = false;
        ip.disputed = false;
        book.markUnlisted(ip);
        if (ip.escalated) {
            ip.escalated = false;
        } else if (config.snowshoeMinListed() > 0 && ip.ip.isSingleAddress()) {
            book.countListedIn(snowshoeBlock(ip.ip), -1);
        }
        out.accept(new Decision.ListingChanged(ip.ip, Decision.Change.REMOVED, 0, explainer.explain(ip, t), t, reason));
    }

    /**
     * Snowshoe spam spreads over many addresses of one network, each too quiet to list on its
     * own: once enough single addresses of a /24 (/64) are listed, the whole block is.
     */
    private void escalateIfSnowshoe(IpEvidence ip, long t, Consumer<Decision> out) {
        if (config.snowshoeMinListed() <= 0 || !ip.ip.isSingleAddress()) {
            return;
        }
        IpBlock blockIp = snowshoeBlock(ip.ip);
        int count = book.countListedIn(blockIp, 1);
        if (count < config.snowshoeMinListed() || addresses.overlapsAllowRange(blockIp)) {
            return;
        }
        IpEvidence block = book.getOrCreate(blockIp);
        if (block.escalationVetoed) {
            return;
        }
        if (block.listed()) {
            if (block.escalated && block.expiresAtMillis < ip.expiresAtMillis) {
                block.expiresAtMillis = ip.expiresAtMillis;
                clock.schedule(block, block.expiresAtMillis);
            }
            return;
        }
        block.escalated = true;
        block.escalatedFrom = count;
        list(block, ip.returnCode, ip.expiresAtMillis - config.listingTtlMillis(), t, out,
                "listed: " + count + " addresses of this network are listed (snowshoe spam)");
    }

    private IpBlock snowshoeBlock(IpBlock single) {
        return single.widen(single.isV6() ? 64 : 24);
    }

    /** The evidence on this address was wrong: end the listing, clear the reports, strike each reporter once. */
    private void clearSpamEvidence(IpEvidence ip, long t, Consumer<Decision> out, String reason) {
        if (ip.escalated) {
            ip.escalationVetoed = true;
        }
        unlist(ip, t, out, reason);
        confirmations.strikeReporters(ip, t, out);
        ip.clearTraps();
        ip.held = false;
        ip.volumeWaived = false;
    }

    /** A reporter's weight changed outside the normal flow (suspension, pin): re-judge what it reported. */
    private void rejudgeTargets(MemberState m, long t, Consumer<Decision> out, String reason) {
        for (int i = 0; i < m.recentTargets.size(); i++) {
            IpEvidence ip = m.recentTargets.get(i);
            if (ip.listed() && !ip.escalated) {
                scores.tally(ip, t, tally);
                double threshold = volume.threshold(ip, ip.lookups(t, config.lookupHalfLifeMillis()), t);
                if (tally.score(threshold) + EPSILON < threshold) {
                    unlist(ip, t, out, "removed: " + reason);
                    continue;
                }
            }
            evaluate(ip, t, out);
        }
    }

    private static long hours(long millis) {
        return millis / EngineConfig.HOUR;
    }
}
