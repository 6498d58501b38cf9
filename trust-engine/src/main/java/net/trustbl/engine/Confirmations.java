package net.trustbl.engine;

import net.trustbl.address.IpBlock;

import java.util.function.Consumer;

/**
 * What evidence on an address means for the members who reported it: which reports are
 * confirmed, which of them earn trust, and who takes a strike when the evidence turns out wrong.
 *
 * <p>Trust is earned only by independent confirmation (Razor's "agree with later consensus",
 * made hard to game): a report earns when it was filed early (the address's score was low) and
 * the address was then confirmed by evidence that does not rest on that reporter: the operator's
 * trap hits, a moderator, or a listing that would stand without the reporter's own weight.
 * Riding a listing that is about to happen, or co-listing with one's own friends, earns nothing.
 */
final class Confirmations {

    private final EngineConfig config;
    private final MemberBook members;
    private final ScoreRule scores;
    /** The other addresses of a /24 (see #cohortAlreadyEarned). */
    private final EvidenceBook book;
    /** The members struck for the wrong listing being cleared (scratch for CohortWatch). */
    private final java.util.ArrayList<MemberState> struckForListing = new java.util.ArrayList<>();

    Confirmations(EngineConfig config, MemberBook members, ScoreRule scores, EvidenceBook book) {
        this.config = config;
        this.members = members;
        this.scores = scores;
        this.book = book;
    }

    /**
     * Spam reports pending within the confirmation window become confirmed (their reporters'
     * precision counts it); with {@code independent} evidence (operator traps, a moderator)
     * the early ones also earn trust.
     */
    void confirmPending(IpEvidence ip, long t, Consumer<Decision> out, boolean independent) {
        var reports = ip.reports;
        for (int i = 0, n = reports.size(); i < n; i++) {
            ReportEntry r = reports.get(i);
            if (!r.spam || t - r.atMillis > config.confirmWindowMillis()) {
                continue;
            }
            if (r.outcome == ReportOutcome.PENDING) {
                r.outcome = ReportOutcome.CONFIRMED;
                out.accept(new Decision.ReportOutcomeChanged(r.reportId, ReportOutcome.CONFIRMED, t));
                if (r.claim) {
                    members.claimConfirmed(r.member, t);
                }
            }
            if (independent && canEarn(ip, r, t)) {
                r.earned = true;
                members.earn(r.member, t, out);
            }
        }
    }

    /** On a listed address: early reports earn once the listing would stand without their reporter. */
    void earnIndependent(IpEvidence ip, long t, Consumer<Decision> out, double score, double threshold) {
        var reports = ip.reports;
        for (int i = 0, n = reports.size(); i < n; i++) {
            ReportEntry r = reports.get(i);
            if (canEarn(ip, r, t) && score - scores.weight(ip, r, t) >= threshold) {
                r.earned = true;
                members.earn(r.member, t, out);
            }
        }
    }

    /**
     * A member on probation earns only on IPv4, and only where its cohort has not (see
     * {@link #cohortAlreadyEarned}): whoever holds an IPv6 /48 (free from tunnel brokers) has
     * 65,536 /64s and 2^80 addresses to send from, report, and mail an operator trap from.
     */
    private boolean canEarn(IpEvidence ip, ReportEntry r, long t) {
        return r.spam && r.early && !r.earned && !r.superseded && r.outcome == ReportOutcome.CONFIRMED
                && !r.member.suspended && t - r.atMillis <= config.confirmWindowMillis()
                && (members.established(r.member, t) || (!ip.ip.isV6() && !cohortAlreadyEarned(ip, r.member, t)));
    }

    /**
     * Accounts on probation created within {@code cohortMillis} of each other earn from one IPv4
     * /24 once between them a week: the first to be paid. Whoever controls addresses (a VPS, a
     * leased network) can have every account it holds report one and then mail an operator trap
     * from it; one trap hit then paid them all, and 200 accounts made on one day were all
     * established a week later (service audit of 12-07). Counted per /24, not per address, because
     * a network leased for the purpose has 256 of them. Honest members who received the same spam
     * were created at their own times, and members already established are not held to this.
     */
    private boolean cohortAlreadyEarned(IpEvidence ip, MemberState m, long t) {
        if (earnedByCohort(ip, m, t)) {
            return true;
        }
        if (!ip.ip.isSingleAddress()) {
            return false; // a reported block: its own reports are all there is
        }
        int base = ip.ip.widen(24).v4();
        for (int i = 0; i < 256; i++) {
            IpEvidence neighbour = book.get(IpBlock.ofV4(base + i, 32));
            if (neighbour != null && neighbour != ip && earnedByCohort(neighbour, m, t)) {
                return true;
            }
        }
        IpEvidence network = book.get(ip.ip.widen(24));
        return network != null && earnedByCohort(network, m, t);
    }

    /** A member on probation of {@code m}'s cohort (not {@code m}) earned on this address within the evidence window. */
    private boolean earnedByCohort(IpEvidence ip, MemberState m, long t) {
        var reports = ip.reports;
        for (int i = 0, n = reports.size(); i < n; i++) {
            ReportEntry other = reports.get(i);
            if (other.earned && other.member != m && t - other.atMillis <= config.evidenceMaxAgeMillis()
                    && Math.abs(other.member.joinedAtMillis - m.joinedAtMillis) <= config.cohortMillis()
                    && !members.established(other.member, t)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The address was shown to send spam (operator traps on a quiet address, or a moderator):
     * every member who vouched for it recently takes a strike, once. Vouching is not free.
     */
    void strikeVouchers(IpEvidence ip, long t, Consumer<Decision> out) {
        clearAndStrike(ip, false, t, out);
    }

    /** The listing was wrong: its spam reports are cleared and each reporter (and trap feeder) takes one strike. */
    void strikeReporters(IpEvidence ip, long t, Consumer<Decision> out) {
        struckForListing.clear();
        clearAndStrike(ip, true, t, out);
        // members whose trap feeds supported the listing were wrong too: one strike each
        for (int i = 0; i < ip.trapSize; i++) {
            MemberState by = ip.trapMember(i);
            if (by != null && t - ip.trapTimes[i] <= config.evidenceMaxAgeMillis()) {
                strikeOnce(ip, by, true, t, out);
            }
        }
        members.cohorts.wrongListing(struckForListing, t);
    }

    /** Clears the recent reports of one verdict and strikes each of their authors once. */
    private void clearAndStrike(IpEvidence ip, boolean spam, long t, Consumer<Decision> out) {
        var reports = ip.reports;
        for (int i = 0, n = reports.size(); i < n; i++) {
            ReportEntry r = reports.get(i);
            if (r.spam != spam || r.outcome == ReportOutcome.CLEARED || t - r.atMillis > config.evidenceMaxAgeMillis()) {
                continue;
            }
            r.outcome = ReportOutcome.CLEARED;
            out.accept(new Decision.ReportOutcomeChanged(r.reportId, ReportOutcome.CLEARED, t));
            strikeOnce(ip, r.member, spam, t, out);
        }
    }

    /** @param wrongListing the member's evidence listed an address that was found not to send spam */
    private void strikeOnce(IpEvidence ip, MemberState m, boolean wrongListing, long t, Consumer<Decision> out) {
        if (!ip.struck(m.id)) {
            ip.addStruck(m.id);
            if (wrongListing) {
                struckForListing.add(m);
            }
            members.strike(m, ip.ip, wrongListing, wrongListing && youngAddress(ip, t), t, out);
        }
    }

    /**
     * An address first looked up less than a clean record's days ago (or never): a server in its
     * first days, where one member's word lists. A careless member's slip about a newsletter or a
     * server with a sending history is not one, and does not make its new-sender voice wait.
     */
    private boolean youngAddress(IpEvidence ip, long t) {
        return ip.firstTrafficAt == Long.MIN_VALUE || t - ip.firstTrafficAt < config.tenureMinDays() * EngineConfig.DAY;
    }
}
