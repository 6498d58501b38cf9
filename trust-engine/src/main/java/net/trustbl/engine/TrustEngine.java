package net.trustbl.engine;

import net.trustbl.address.IpBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The trust engine: events in, decisions out. Plain Java, single-threaded (the caller serializes
 * calls), no I/O. Its state is a pure function of the ordered events applied so far: before an
 * event at time t is handled, every expiry due at or before t is processed, so how often
 * {@link EngineEvent.Tick} arrives never changes a result.
 *
 * <p>The rules, in the words a blocked sender would want, are the README's "How listing works"
 * (the one public text of them); {@link Judgement} decides, {@link ScoreRule} weighs,
 * {@link Confirmations} earns and strikes, {@link VolumeRule} sets the bar.
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

    /** Forgetting idle addresses is a full pass over the book: weekly is plenty. */
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
    private final Judgement judgement;
    private final TrustedSenders trusted;
    private final Exclusions exclusions;
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
        this.confirmations = new Confirmations(config, members, scores, book);
        this.judgement = new Judgement(config, book, scores, volume, clock, addresses, explainer, confirmations, members);
        this.trusted = new TrustedSenders(config, members, book, scores, judgement);
        this.exclusions = new Exclusions(config.listThreshold());
        this.expiredReason = "expired: no new evidence for " + hours(config.listingTtlMillis()) + " h";
    }

    public EngineConfig config() {
        return config;
    }

    /** Applies one event and hands every resulting decision to {@code out}, in order. */
    public void apply(EngineEvent event, Consumer<Decision> decisions) {
        Consumer<Decision> out = trusted.watching(exclusions.isEmpty() ? decisions : exclusions.endingWith(decisions)); // every listing ends trust inside it
        // times never go back: a late event counts as happening now (replays stay identical)
        long t = now == Long.MIN_VALUE ? event.atMillis() : Math.max(now, event.atMillis());
        if (nextSweepAt == Long.MAX_VALUE) {
            nextSweepAt = Math.floorDiv(t, SWEEP_EVERY) * SWEEP_EVERY + SWEEP_EVERY;
        }
        advanceTo(t, out);
        eventsApplied++;
        judgement.forgetTally();
        if (event instanceof EngineEvent.TrafficObserved e) {
            onTraffic(e, t, out);
        } else if (event instanceof EngineEvent.ReportFiled e) {
            if (!onReport(e, t, out)) {
                // a report that can never weigh anything left no state, so the allow zone has
                // nothing new to weigh either: an unconfirmed account (free to open) otherwise made
                // the engine tally every reporter of the trusted address it named, once per report
                // (young attack accounts piling onto trusted servers: 3.8 of the 34.6 million
                // reports the tallies of sweep world-168-91 walked). What time alone changes in the
                // allow zone shows at the next event that counts or at the weekly recheck
                return;
            }
        } else if (event instanceof EngineEvent.TrapHit e) {
            onTrap(e, t, out);
        } else if (event instanceof EngineEvent.MemberJoined e) {
            members.join(e.memberId(), e.atMillis());
        } else if (event instanceof EngineEvent.DelistingRequested e) {
            onDelistingRequested(e, t);
        } else if (event instanceof EngineEvent.DelistingDecided e) {
            event = onDelisting(e, t, out); // a stale refusal is nothing to TrustedSenders either
        } else if (event instanceof EngineEvent.HoldDismissed e) {
            event = onHoldDismissed(e, t, out); // TrustedSenders sees what it amounted to
        } else if (event instanceof EngineEvent.AddressExcluded e) {
            exclusions.requested(e, book, t, out);
        } else if (event instanceof EngineEvent.TrustPinned e) {
            MemberState m = members.getOrJoin(e.memberId(), t);
            members.pin(m, e.trust(), t, out);
            judgement.rejudgeTargets(m, t, out, "a reporter's trust was changed by an admin");
        } else if (event instanceof EngineEvent.MemberSuspended e) {
            MemberState m = members.getOrJoin(e.memberId(), t);
            if (m.suspended != e.suspended()) {
                m.suspended = e.suspended();
                judgement.rejudgeTargets(m, t, out, "a reporter was suspended");
            }
        }
        // Tick: advancing the clock was all it had to do
        if (!(event instanceof EngineEvent.ReportFiled) && !(event instanceof EngineEvent.TrafficObserved)) {
            // a report's judgement is the last thing onReport does, so its sums still stand for
            // TrustedSenders; so do a lookup count's, after which only wider blocks' lookups
            // change (no tally reads them: a clean-record sender kept out of the allow zone by its
            // spam evidence was tallied twice at each count); other events change more after theirs
            judgement.forgetTally();
        }
        trusted.afterEvent(event, t, out);
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
        IpBlock excludedFrom = exclusions.blockOf(ip);
        if (excludedFrom != null) {
            return exclusions.explanation(ip, excludedFrom, own == null ? null : explainer.explain(own, nowMillis));
        }
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

    /** Whether {@code ip} is a trusted sender now (the allow zone), and why; null when not. */
    public TrustedSender trustedSender(IpBlock ip) {
        return trusted.get(ip);
    }

    /** Every trusted sender, in address order. */
    public List<TrustedSender> trustedSenders() {
        return trusted.all();
    }

    /** Every exclusion of a single address from the block listing around it (return code -1), in address order. */
    public List<Listing> exclusions() {
        return exclusions.entries();
    }

    /** What the DNS zone serves: {@link #listings()} and {@link #exclusions()}, in address order. */
    public List<Listing> zoneEntries() {
        List<Listing> out = listings();
        if (!exclusions.isEmpty()) {
            out.addAll(exclusions.entries());
            out.sort((a, b) -> a.ip().compareTo(b.ip()));
        }
        return out;
    }

    /** The block a moderator excluded {@code ip} from (it stays listed, the address is not), or null. */
    public IpBlock excludedFrom(IpBlock ip) {
        return exclusions.blockOf(ip);
    }

    /** The member's trust state, or null when the engine never heard of the member. */
    public MemberTrust member(long memberId) {
        MemberState m = members.get(memberId);
        return m == null ? null : m.view();
    }

    /**
     * How the member's reports count now, in words a tuning trace can show: "suspect" (a coalition
     * mark puts it on probation), "long-standing" (two such list where a coalition was seen),
     * "established" (its trust counts in full), or "on probation" (young, or without a record of
     * its own: under the probation cap, or its new-sender voice); null for an unknown member.
     */
    public String standing(long memberId, long nowMillis) {
        MemberState m = members.get(memberId);
        if (m == null) {
            return null;
        }
        if (members.cohorts.suspect(m, nowMillis)) {
            return "suspect";
        }
        return members.longStanding(m, nowMillis) ? "long-standing"
                : members.established(m, nowMillis) ? "established" : "on probation";
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
        return (own != null && own.listed()) || (book.listedContainer(ip) != null && exclusions.blockOf(ip) == null);
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
        long before = now;
        while (true) {
            long nextExpiry = clock.nextAt();
            if (nextExpiry <= t && nextExpiry <= nextSweepAt) {
                now = Math.max(now, nextExpiry);
                IpEvidence due = clock.pollDue(nextExpiry);
                if (due != null) {
                    judgement.unlist(due, nextExpiry, out, expiredReason);
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
                        Math.max(0.5, config.volumeLookupsPerThreshold() / 100), config.newSenderMillis());
                trusted.recheckAll(nextSweepAt, out);
                nextSweepAt += SWEEP_EVERY;
            } else {
                break;
            }
        }
        relieveBook(before, t);
        now = t;
    }

    /**
     * Anyone can look up random addresses, and each answered lookup gives the engine an entry that
     * the weekly sweep would keep for days (a new sender is kept 36 hours): one host querying a few
     * hundred fresh addresses a second would fill the heap. At the first event of each hour of
     * event time (decided by the clock alone, so every replica and every replay from a snapshot
     * does the same), a book above {@code maxTrackedAddresses} forgets what only a few lookups named.
     */
    private void relieveBook(long before, long t) {
        int max = config.maxTrackedAddresses();
        if (max > 0 && before != Long.MIN_VALUE && Math.floorDiv(t, EngineConfig.HOUR) != Math.floorDiv(before, EngineConfig.HOUR)
                && book.size() > max) {
            book.sweepUnderPressure(t, config.evidenceMaxAgeMillis(), config.lookupHalfLifeMillis(),
                    Math.max(0.5, config.volumeLookupsPerThreshold() / 100));
        }
    }

    // ---------------------------------------------------------------- events

    private void onTraffic(EngineEvent.TrafficObserved e, long t, Consumer<Decision> out) {
        if (e.lookups() <= 0 || e.ip() == null) {
            return;
        }
        IpBlock ip = e.ip();
        book.lastTrafficAt = Math.max(book.lastTrafficAt, t);
        IpEvidence own = book.getOrCreate(ip);
        own.addLookups(e.lookups(), t, config.lookupHalfLifeMillis());
        own.markTrafficDay(t, e.lookups(), config.tenureMinLookupsPerDay());
        volume.observed(own, own.lookups(t, config.lookupHalfLifeMillis()), t);
        if (!own.listed() && (!own.reports.isEmpty() || own.trapSize > 0)) {
            // the first lookups tell that an address has just started sending: its evidence is
            // judged again (reports often arrive before the first lookup count)
            judgement.evaluate(own, t, out);
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

    /** Files a report; returns false when it can never weigh anything and left no state. */
    private boolean onReport(EngineEvent.ReportFiled e, long t, Consumer<Decision> out) {
        MemberState m = members.getOrJoin(e.memberId(), t);
        IpBlock target = e.target();
        if (target == null || e.verdict() == null || !AddressRules.reportable(target)) {
            return false;
        }
        double strength = Double.isNaN(e.strength()) ? 0 : Math.max(0, Math.min(1, e.strength()));
        boolean agedEnough = members.agedEnough(m, t);
        if (strength == 0 || m.suspended || (!agedEnough && !m.pinned())) {
            return false; // it can never weigh anything (unconfirmed account, too young, suspended): no state
        }
        IpEvidence ip = book.getOrCreate(target);
        ip.prune(t - config.evidenceMaxAgeMillis());
        boolean spam = e.verdict() == Verdict.SPAM;
        ip.supersede(m, spam);
        ReportEntry r = new ReportEntry(e.reportId(), m, spam, t, strength, agedEnough);
        boolean visiblyListed = ip.listed() || (book.listedContainer(target) != null && exclusions.blockOf(target) == null);
        // a spam report where no receiver looked it up yet and no spam report counts: a first sight may mark it (below)
        boolean unseen = spam && ip.firstTrafficAt == Long.MIN_VALUE && !ip.hasSpamReport() && book.lookupsCounted(t);
        // a claim's earliness comes from the judgement's own tally (one pass over the address's
        // reporters, not two: a coalition piling onto one address made every report cost two),
        // except where something between here and that tally could change the sums before it
        boolean earlyFromJudgement = spam && !visiblyListed && ip.trapMembers == null
                && !AddressRules.isNeverListed(target) && !addresses.allowed(target) && !unseen;
        if (spam && !visiblyListed) {
            // a claim: judged for the member's precision; it can earn trust only if it came early,
            // while the address's score was low (piling onto an address near its bar earns nothing)
            if (!earlyFromJudgement) {
                scores.tally(ip, t, tally);
                double bar = volume.threshold(ip, ip.lookups(t, config.lookupHalfLifeMillis()), t);
                r.early = tally.score(bar) < config.earlyShare() * bar;
            }
            r.claim = true;
            members.claimFiled(m, t);
        }
        if (unseen && members.firstSight(m, t)) {
            ip.markTrafficDay(t, 0, config.tenureMinLookupsPerDay()); // see MemberBook#firstSight
        }
        ip.addReport(r, !members.inert(m)); // an inert member's report is filed but left out of tallies until it wakes
        m.rememberTarget(ip, t, config.evidenceMaxAgeMillis());
        if (spam && visiblyListed) {
            // agreeing with a visible listing confirms the report but earns nothing: trust is
            // earned by warning early, not by echoing the list (which anyone can read)
            r.outcome = ReportOutcome.CONFIRMED;
            members.echoConfirmed(m);
            out.accept(new Decision.ReportOutcomeChanged(r.reportId, ReportOutcome.CONFIRMED, t));
        }
        judgement.evaluate(ip, t, out, earlyFromJudgement ? r : null);
        return true;
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
        judgement.evaluate(ip, t, out);
    }

    /**
     * A moderator found no spam behind a hold. Holds are where the engine doubts: a careless
     * member's slip on a server receivers know, a big shared sender's real spam, a pile of
     * reports its lookups do not explain. Striking their reporters, as for a wrong listing, cost
     * far more than it caught: with a moderator who turns down every hold of a sender that sends
     * no spam, every check fell from 94.0 to 82.5 % of worlds (sweep seed 29) and from 94.5 to
     * 79.5 % (seed 22), because careless members lost their early word on real spam and accounts
     * created in their weeks were marked as a coalition; this way it stays at 94.0 and 94.5 %.
     * The evidence stays (a coalition's pile still shows its signature); the hold ends, so new
     * evidence can raise a new one. But the moderator's word stands as after an upheld delisting
     * request (README rule 10): for {@link EngineConfig#moderatorClearedHoldMillis()} what would
     * list the address next goes to a moderator first. A coalition's target held on its marked
     * accounts' pile was otherwise listed, once the pile was turned down, by the next careless
     * long-standing member's slip (one voice lists a new sender), or by one slip together with a
     * report turned down before (two voices list a known one): sweep world-151-180 (5 of 35 new
     * servers listed, now 2) and world-158-126 (4 of 36, now 0). Returns the event that
     * {@link TrustedSenders} should see.
     */
    private EngineEvent onHoldDismissed(EngineEvent.HoldDismissed e, long t, Consumer<Decision> out) {
        IpEvidence ip = e.ip() == null ? null : book.get(e.ip());
        if (ip != null && ip.listed()) {
            EngineEvent.DelistingDecided wrongListing = new EngineEvent.DelistingDecided(e.ip(), true, e.atMillis());
            onDelisting(wrongListing, t, out);
            return wrongListing;
        }
        if (ip != null && ip.held && ip.heldAfterClearing) {
            // held only because a moderator had cleared it, where every other rule listed it: the
            // reports since count as when they listed it again and the moderator removed it
            // (strikes, and the wrong-listing marks that take a farmed account's voice; a2: 19 of
            // 20 new servers listed with the hold alone, 18 with this, 17 before the hold); only
            // the hours listed are spared
            judgement.clearSpamEvidence(ip, t, out, "hold turned down on an address a moderator cleared");
            ip.clearedByModeratorAt = t;
            return new EngineEvent.DelistingDecided(e.ip(), true, e.atMillis());
        }
        if (ip != null) {
            ip.held = false;
            ip.clearedByModeratorAt = t; // Judgement#heldOnModeratorsWord; a second turn-down strikes (above)
        }
        return e;
    }

    /** A request on a listed address may hold its reporters' cohort until it is decided (ContestedListings). */
    private void onDelistingRequested(EngineEvent.DelistingRequested e, long t) {
        if (e.ip() == null || !AddressRules.reportable(e.ip())) {
            return;
        }
        IpEvidence ip = book.get(e.ip());
        if (ip != null && ip.listed()) {
            judgement.delistingRequested(ip, t);
        }
    }

    /** Returns the event that {@link TrustedSenders} should see (a tick where a refusal is stale). */
    private EngineEvent onDelisting(EngineEvent.DelistingDecided e, long t, Consumer<Decision> out) {
        if (e.ip() == null || !AddressRules.reportable(e.ip())) {
            return e;
        }
        IpEvidence ip = book.get(e.ip());
        if (!e.upheld() && staleRefusal(ip, e.ip())) {
            return new EngineEvent.Tick(e.atMillis());
        }
        if (e.upheld()) {
            if (ip != null) {
                judgement.clearSpamEvidence(ip, t, out, "removed: a moderator upheld the delisting request");
                ip.clearedByModeratorAt = t; // what lists it next goes to a moderator first (Judgement#heldOnModeratorsWord)
            }
            // the sender's listing may have come from a block around it
            IpEvidence container = book.listedContainer(e.ip());
            while (container != null) {
                judgement.clearSpamEvidence(container, t, out, "removed: a moderator upheld the delisting request for " + e.ip());
                container = book.listedContainer(e.ip());
            }
            return e;
        }
        // the moderator found the evidence right: reports are confirmed, a hold is lifted
        if (ip == null) {
            return e;
        }
        ip.prune(t - config.evidenceMaxAgeMillis());
        ip.clearedByModeratorAt = 0; // the moderator has now found spam here
        ip.heldAfterClearing = false;
        confirmations.confirmPending(ip, t, out, true);
        confirmations.strikeVouchers(ip, t, out);
        members.cohorts.signatureProvedSpam(ip.ip); // a coalition signature on it marked no coalition after all
        boolean held = ip.held;
        if (ip.held || !ip.listed()) {
            ip.volumeWaived = true; // waives the volume bar and the clean-history hold alike
        }
        judgement.evaluate(ip, t, out);
        if (held && !ip.listed()) {
            judgement.listConfirmedHold(ip, t, out); // even where caps kept its score low
        }
        return e;
    }

    /**
     * A refusal that finds nothing to refuse: a moderator upheld a request on the address since
     * (TrustedSenders#vouchedByModerator: nothing listed it or hit the operator's traps after),
     * and it is neither listed nor held. Two requests on one listing (or a request and a dispute)
     * are decided one after the other; applied, turning down the second would strike the members
     * who vouched for an address the moderator just found innocent, waive its bars, and take the
     * moderator's own word back. A hold raised on it later is still confirmed by a refusal.
     */
    private boolean staleRefusal(IpEvidence ip, IpBlock address) {
        return (ip == null || (!ip.listed() && !ip.held)) && book.listedContainer(address) == null
                && trusted.vouchedByModerator(address);
    }

    /**
     * The listed block whose listing covers {@code ip} (a snowshoe /24 or /64, or a reported
     * block), or null when the address is listed on its own evidence or not at all: the lookup
     * page names the block and the addresses that caused it.
     */
    public IpBlock listedBlockAround(IpBlock ip, long nowMillis) {
        IpEvidence own = book.get(ip);
        if ((own != null && own.listed() && own.expiresAtMillis > nowMillis) || exclusions.blockOf(ip) != null) {
            return null;
        }
        IpEvidence container = book.listedContainer(ip);
        return container != null && container.expiresAtMillis > nowMillis ? container.ip : null;
    }

    /** Up to {@code max} listed single addresses inside an IPv4 block of /24 or narrower (what made a snowshoe listing). */
    public List<IpBlock> listedInside(IpBlock block, int max) {
        return book.listedInside(block, max);
    }

    private static long hours(long millis) {
        return millis / EngineConfig.HOUR;
    }

    // ---- for EngineSnapshot: the state, read and restored as it is --------------------------------

    MemberBook memberBook() {
        return members;
    }

    EvidenceBook evidenceBook() {
        return book;
    }

    TrustedSenders trustedRule() {
        return trusted;
    }

    ContestedListings contestedListings() {
        return judgement.contests;
    }

    Exclusions exclusionBook() {
        return exclusions;
    }

    ExpiryClock expiryClock() {
        return clock;
    }

    long[] counters() {
        return new long[] {now, nextSweepAt, eventsApplied};
    }

    void restoreCounters(long now, long nextSweepAt, long eventsApplied) {
        this.now = now;
        this.nextSweepAt = nextSweepAt;
        this.eventsApplied = eventsApplied;
    }
}
