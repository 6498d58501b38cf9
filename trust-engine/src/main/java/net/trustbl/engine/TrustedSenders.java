package net.trustbl.engine;

import net.trustbl.address.IpBlock;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Which single addresses are trusted senders (the allow zone), with the same resistance to abuse
 * as listings: vouching is cheap to forge, so only established members' positive reports count
 * (pinned, or with a track record of their own; a coalition of accounts on probation never
 * vouches an address in), and any sign of spam outweighs every vouch.
 *
 * <p>An address is trusted, with the first code that applies, when
 * <ul>
 * <li>a moderator upheld its delisting request (code 3, {@link TrustedSender#CODE_MODERATOR});</li>
 * <li>at least {@link #VOUCHERS_NEEDED} established members vouched for it within the evidence
 * window, after its last listing lapsed and its last trap hit (code 1);</li>
 * <li>it has a clean record: {@code tenureMinDays} days of lookups without a listing or an
 * operator trap hit (code 2);</li>
 * </ul>
 * and it is not listed (nor inside a listed block), has no trap hits within the evidence window,
 * and its spam score stays below {@link #SPAM_SHARE} of the listing threshold. A listing or an
 * operator trap hit also ends a moderator's word for good. Blocks are never trusted as a whole.
 */
final class TrustedSenders {

    /** Established members that must vouch: one member alone (or one stolen key) is never enough. */
    static final int VOUCHERS_NEEDED = 2;
    /** Spam evidence from this share of the listing threshold on suspends trust while it lasts. */
    static final double SPAM_SHARE = 0.5;

    private final EngineConfig config;
    private final MemberBook members;
    private final EvidenceBook book;
    private final ScoreRule scores;
    private final ScoreRule.Tally tally = new ScoreRule.Tally();
    private final TreeMap<IpBlock, TrustedSender> trusted = new TreeMap<>();
    /**
     * The same entries by address, for the question every report and every lookup asks ("is it
     * trusted?"): a hash lookup where the ordered map took a dozen address comparisons. The
     * ordered map keeps address order for the zone, the weekly recheck and snapshots.
     */
    private final HashMap<IpBlock, TrustedSender> byAddress = new HashMap<>();
    private final HashSet<IpBlock> moderatorVouched = new HashSet<>();
    private final ListingWatch watch = new ListingWatch();
    private String lastRemovalReason;
    /** Its sums where a report's judgement in the same event left them standing (Judgement#standingTally). */
    private final Judgement judgement;
    /** The sums {@link #spamEvidence} read last: its own tally or the judgement's. */
    private ScoreRule.Tally evidence;

    TrustedSenders(EngineConfig config, MemberBook members, EvidenceBook book, ScoreRule scores, Judgement judgement) {
        this.judgement = judgement;
        this.config = config;
        this.members = members;
        this.book = book;
        this.scores = scores;
    }

    /** Wraps the engine's decision sink so that every listing revokes trust inside it (one reused object). */
    Consumer<Decision> watching(Consumer<Decision> out) {
        watch.downstream = out;
        return watch;
    }

    /** Re-judges what {@code event} may have changed; called after the engine handled it. */
    void afterEvent(EngineEvent event, long t, Consumer<Decision> out) {
        if (event instanceof EngineEvent.ReportFiled e) {
            if (e.target() != null && (e.verdict() == Verdict.TRUSTED || byAddress.containsKey(e.target()))) {
                judge(e.target(), t, out);
            }
        } else if (event instanceof EngineEvent.TrapHit e) {
            if (e.ip() != null && e.memberId() == null) {
                moderatorVouched.remove(e.ip());
            }
            if (e.ip() != null && byAddress.containsKey(e.ip())) {
                judge(e.ip(), t, out);
            }
        } else if (event instanceof EngineEvent.TrafficObserved e) {
            IpEvidence own = e.ip() == null || byAddress.containsKey(e.ip()) ? null : book.get(e.ip());
            if (own != null && own.cleanDays(t) >= config.tenureMinDays()) {
                judge(e.ip(), t, out);
            }
        } else if (event instanceof EngineEvent.DelistingDecided e) {
            if (e.ip() != null && e.upheld() && e.ip().isSingleAddress()) {
                moderatorVouched.add(e.ip());
            } else if (e.ip() != null) {
                moderatorVouched.remove(e.ip());
            }
            if (e.ip() != null) {
                judge(e.ip(), t, out);
            }
        } else if (event instanceof EngineEvent.TrustPinned e) {
            rejudgeTargetsOf(e.memberId(), t, out);
        } else if (event instanceof EngineEvent.MemberSuspended e) {
            rejudgeTargetsOf(e.memberId(), t, out);
        }
    }

    /** Vouches lapse and clean records fade without an event on the address: the weekly sweep looks again. */
    void recheckAll(long t, Consumer<Decision> out) {
        for (IpBlock ip : new ArrayList<>(trusted.keySet())) {
            judge(ip, t, out);
        }
    }

    /** A moderator upheld a delisting request on {@code ip}, and nothing listed it or hit the operator's traps since. */
    boolean vouchedByModerator(IpBlock ip) {
        return moderatorVouched.contains(ip);
    }

    TrustedSender get(IpBlock ip) {
        return byAddress.get(ip);
    }

    List<TrustedSender> all() {
        return new ArrayList<>(trusted.values());
    }

    private void rejudgeTargetsOf(long memberId, long t, Consumer<Decision> out) {
        MemberState m = members.get(memberId);
        if (m == null) {
            return;
        }
        for (IpEvidence e : new ArrayList<>(m.recentTargets)) {
            judge(e.ip, t, out);
        }
    }

    private void judge(IpBlock ip, long t, Consumer<Decision> out) {
        if (!ip.isSingleAddress() || !AddressRules.reportable(ip)) {
            return;
        }
        int code = codeFor(ip, book.get(ip), t);
        TrustedSender old = byAddress.get(ip);
        if (code == (old == null ? 0 : old.code())) {
            return;
        }
        if (code == 0) {
            forget(ip);
            out.accept(new Decision.TrustedChanged(ip, 0, lastRemovalReason, t));
            return;
        }
        TrustedSender now = new TrustedSender(ip, code, old == null ? t : old.sinceMillis(), TrustedSender.reasonFor(code));
        keep(now);
        out.accept(new Decision.TrustedChanged(ip, code, now.reason(), t));
    }

    /** Adds or replaces an entry in both maps (they hold the same entries). */
    private void keep(TrustedSender s) {
        trusted.put(s.ip(), s);
        byAddress.put(s.ip(), s);
    }

    private void forget(IpBlock ip) {
        trusted.remove(ip);
        byAddress.remove(ip);
    }

    private int codeFor(IpBlock ip, IpEvidence e, long t) {
        if ((e != null && e.listed()) || book.listedContainer(ip) != null) {
            lastRemovalReason = "removed: listed";
            return 0;
        }
        if (e != null && spamEvidence(e, t)) {
            lastRemovalReason = "removed: spam evidence (" + evidence.spamReports + " spam reports, " + evidence.trapHits + " trap hits)";
            return 0;
        }
        lastRemovalReason = "removed: its vouches or clean record lapsed";
        if (moderatorVouched.contains(ip)) {
            return TrustedSender.CODE_MODERATOR;
        }
        if (e == null) {
            return 0;
        }
        if (vouchers(e, t) >= VOUCHERS_NEEDED) {
            return TrustedSender.CODE_VOUCHED;
        }
        return e.cleanDays(t) >= config.tenureMinDays() ? TrustedSender.CODE_CLEAN_RECORD : 0;
    }

    private boolean spamEvidence(IpEvidence e, long t) {
        evidence = judgement.standingTally(e, t);
        if (evidence == null) {
            scores.tally(e, t, tally);
            evidence = tally;
        }
        // a member's trap feed counts by its weight in the score, like that member's report: one
        // member's hit alone does not take a vouched sender out of the allow zone
        return evidence.independentTrapHits() > 0 || evidence.score(config.listThreshold()) >= SPAM_SHARE * config.listThreshold();
    }

    /** Established members whose current positive report on {@code e} counts (each once). */
    private int vouchers(IpEvidence e, long t) {
        long spamSince = e.lapsedAt; // vouches older than a lapsed listing or a trap hit are stale
        if (e.trapSize > 0) {
            spamSince = Math.max(spamSince, e.trapTimes[e.trapSize - 1]);
        }
        int n = 0;
        // an established member is never inert (it has earning days), so where establishing takes
        // one the reports left out of tallies need no look (a sybil flood's, on its targets)
        var reports = config.establishedEarningDays() > 0 ? e.weighable : e.current;
        for (int i = 0, size = reports.size(); i < size; i++) {
            ReportEntry r = reports.get(i);
            if (!r.spam && r.outcome != ReportOutcome.CLEARED && r.atMillis > spamSince
                    && t - r.atMillis <= config.evidenceMaxAgeMillis() && !r.member.suspended
                    && !e.struck(r.member.id) && members.established(r.member, t)) {
                n++;
            }
        }
        return n;
    }

    /** A listing (of the address or a block around it) ends trust inside it, a moderator's word included. */
    private void revokeInside(IpBlock listed, long t, Consumer<Decision> out) {
        if (listed.isSingleAddress()) {
            moderatorVouched.remove(listed);
            if (byAddress.containsKey(listed)) {
                judge(listed, t, out);
            }
            return;
        }
        moderatorVouched.removeIf(listed::contains);
        for (IpBlock ip : new ArrayList<>(trusted.keySet())) {
            if (listed.contains(ip)) {
                judge(ip, t, out);
            }
        }
    }

    private final class ListingWatch implements Consumer<Decision> {
        Consumer<Decision> downstream;

        @Override
        public void accept(Decision d) {
            downstream.accept(d);
            if (d instanceof Decision.ListingChanged lc && lc.change() != Decision.Change.REMOVED) {
                revokeInside(lc.ip(), lc.atMillis(), downstream);
            }
        }
    }

    // ---- for EngineSnapshot: its own section, after everything else --------------------------------

    void write(DataOutput out) throws IOException {
        out.writeInt(trusted.size());
        for (TrustedSender s : trusted.values()) {
            SnapshotSections.writeIp(s.ip(), out);
            out.writeByte(s.code());
            out.writeLong(s.sinceMillis());
        }
        List<IpBlock> vouched = new ArrayList<>(moderatorVouched);
        vouched.sort(null);
        out.writeInt(vouched.size());
        for (IpBlock ip : vouched) {
            SnapshotSections.writeIp(ip, out);
        }
    }

    void read(DataInput in) throws IOException {
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            IpBlock ip = SnapshotSections.readIp(in);
            int code = in.readByte();
            keep(new TrustedSender(ip, code, in.readLong(), TrustedSender.reasonFor(code)));
        }
        int vouched = in.readInt();
        for (int i = 0; i < vouched; i++) {
            moderatorVouched.add(SnapshotSections.readIp(in));
        }
    }
}
