package net.trustbl.engine;

import net.trustbl.address.IpBlock;
import java.util.ArrayList;

/** Everything the engine knows about one address or block: evidence, volume and listing state. */
final class IpEvidence {

    final IpBlock ip;
    /**
     * Reports in filing order (times never go back: the engine clamps them). Add with
     * {@link #addReport}; a member's earlier report of the same verdict stays here, superseded,
     * for its outcome (confirmed or cleared), but weighs nothing.
     */
    final ArrayList<ReportEntry> reports = new ArrayList<>(2);
    /**
     * The reports not superseded, in filing order (a subsequence of {@link #reports}): what a
     * tally weighs. Kept apart because accounts that report the same address again and again
     * left mostly superseded entries in {@link #reports} (a sweep world with a sleeper coalition:
     * 13,328 of 21,431), and every tally walked them all.
     */
    final ArrayList<ReportEntry> current = new ArrayList<>(0);
    /**
     * The current reports that may weigh something, in their order (a subsequence of
     * {@link #current}): what a tally walks. A report of an inert member (MemberBook#inert: no
     * confirmed report, no earned trust, no pin) weighs nothing on any address until that member
     * changes, and a sybil flood of a thousand such accounts made every report on its targets a
     * walk over a thousand entries that add nothing (sweep world-168-164: 21 of 24 million
     * entries walked). Left out only as they are filed (a restored report is always in); put back
     * by {@link #readmit} when their member wakes. Replaced, not changed, on a readmission, so a
     * walk in progress keeps its list.
     */
    ArrayList<ReportEntry> weighable = new ArrayList<>(0);
    long[] trapTimes = EMPTY;
    int[] trapCounts = EMPTY_INT;
    /** Who submitted each trap entry (null: the operator's trap network); null array while none did. */
    MemberState[] trapMembers;
    int trapSize;

    /** Recent lookups as a level that halves every lookupHalfLife; {@link #lookupsAt} is its time. */
    double lookupLevel;
    long lookupsAt;

    /** The volume bar's factor (>= 1) as of {@link #barAt}: it may rise only so fast (see VolumeRule). */
    double barFactor = 1;
    long barAt = Long.MIN_VALUE;

    /**
     * Clean history: bit i is set when day (lastTrafficDay - i) had enough counted lookups. Lookups
     * come from receivers' mail servers (counted once per client network), so this is positive
     * evidence the address gathers by sending wanted mail; a listing or an operator trap hit wipes it.
     */
    long trafficDays;
    long lastTrafficDay = Long.MIN_VALUE;
    double lookupsThatDay;

    /** When the first lookup of this address was counted (Long.MIN_VALUE: never looked up). */
    long firstTrafficAt = Long.MIN_VALUE;

    /** When its last listing lapsed by itself (not removed by a moderator); 0 when never. */
    long lapsedAt;

    int returnCode;
    long listedSinceMillis;
    long expiresAtMillis;
    boolean held;
    /**
     * Until when members' reports on this address go to a moderator instead of listing it: a
     * coalition's signature was seen on it, or its accounts reported it just before (0: never).
     */
    long coalitionTargetUntil;
    /**
     * When a moderator last found no spam on this address, upholding a delisting request or turning
     * down a hold (0: never, or the moderator since confirmed evidence on it): new evidence goes to
     * a moderator for a while (Judgement).
     */
    long clearedByModeratorAt;
    /** The hold on it was raised because of {@link #clearedByModeratorAt}: every other rule would have listed it. */
    boolean heldAfterClearing;
    /** A moderator confirmed the evidence of a held address: the volume bar no longer applies. */
    boolean volumeWaived;
    /** Listed because enough of its single addresses were (snowshoe); not by its own evidence. */
    boolean escalated;
    /** Listed single addresses inside this block when it was escalated (for the explanation). */
    int escalatedFrom;
    /**
     * This listed single address rests on more than members' word (an operator trap hit, a pinned
     * reporter, or a moderator): it counts toward listing its /24 (/64) as
     * snowshoe (EngineConfig#snowshoeMinWitnesses). Counted in EvidenceBook while it is listed.
     */
    boolean blockWitness;
    /** A moderator removed this block's snowshoe listing: it is not escalated again. */
    boolean escalationVetoed;
    /** Established members vouch for this listed address: a moderator was asked (once per listing). */
    boolean disputed;
    /**
     * A delisting request on this listing was counted (ContestedListings): later ones count for
     * nothing and hold nobody anew. A new listing of the address clears it.
     */
    boolean contested;
    /** Members whose reports on this address were cleared: their later reports here do not count. */
    long[] struckMembers = EMPTY;

    /** How long after an entry's time a submitter's hits still go into that entry (see {@link #addTrap}). */
    static final long TRAP_ENTRY_MILLIS = 60_000L;

    private static final long[] EMPTY = new long[0];
    private static final int[] EMPTY_INT = new int[0];

    /** Room for {@code n} trap hits read from a snapshot (the reader fills them and sets trapSize). */
    void newTraps(int n, boolean withMembers) {
        trapTimes = new long[n];
        trapCounts = new int[n];
        trapMembers = withMembers ? new MemberState[n] : null;
    }

    IpEvidence(IpBlock ip) {
        this.ip = ip;
    }

    boolean listed() {
        return returnCode != 0;
    }

    /**
     * Records {@code hits} trap hits by {@code by} (null: the operator's trap network). Hits within
     * {@link #TRAP_ENTRY_MILLIS} of an entry of the same submitter go into it: a member's gateway may
     * send hundreds a second, and every hit is judged (each tally walks every entry), so one entry
     * per hit made the work per hit grow with the flood and memory without bound. Entries are in
     * time order, so only the entries of that last minute are looked at: one per submitter at most.
     */
    void addTrap(long atMillis, int hits, MemberState by) {
        for (int i = trapSize - 1; i >= 0 && atMillis - trapTimes[i] < TRAP_ENTRY_MILLIS; i--) {
            if (trapMember(i) == by && trapCounts[i] <= Integer.MAX_VALUE - hits) {
                // as if the hits had come with the entry's first, under a minute earlier: the
                // tally weighs count x ageWeight, so the same while under a day old, after that at
                // most a minute's decay less (by default 0.75/1440 of a hit) and out of the week's
                // window up to a minute early; a member's hits weigh at most its trust x
                // trapHitWeight on an address however they are counted (ScoreRule#addMemberTraps),
                // which one fresh hit reaches. The entry's time renews a listing: up to a minute less
                trapCounts[i] += hits;
                return;
            }
        }
        if (trapSize == trapTimes.length) {
            int n = Math.max(4, trapSize * 2);
            trapTimes = java.util.Arrays.copyOf(trapTimes, n);
            trapCounts = java.util.Arrays.copyOf(trapCounts, n);
            if (trapMembers != null) {
                trapMembers = java.util.Arrays.copyOf(trapMembers, n);
            }
        }
        if (by != null && trapMembers == null) {
            trapMembers = new MemberState[trapTimes.length];
        }
        trapTimes[trapSize] = atMillis;
        trapCounts[trapSize] = hits;
        if (trapMembers != null) {
            trapMembers[trapSize] = by;
        }
        trapSize++;
    }

    /** The member who submitted trap entry {@code i}, or null for the operator's trap network. */
    MemberState trapMember(int i) {
        return trapMembers == null ? null : trapMembers[i];
    }

    void clearTraps() {
        if (trapMembers != null) {
            java.util.Arrays.fill(trapMembers, 0, trapSize, null);
        }
        trapSize = 0;
    }

    /** Drops evidence older than {@code cutoff}: it no longer weighs anything. */
    void prune(long cutoff) {
        int drop = 0;
        int n = reports.size();
        while (drop < n && reports.get(drop).atMillis < cutoff) {
            drop++;
        }
        if (drop > 0) {
            reports.subList(0, drop).clear();
            int stale = 0;
            while (stale < current.size() && current.get(stale).atMillis < cutoff) {
                stale++;
            }
            current.subList(0, stale).clear();
            int gone = 0;
            while (gone < weighable.size() && weighable.get(gone).atMillis < cutoff) {
                gone++;
            }
            weighable.subList(0, gone).clear();
        }
        int t = 0;
        while (t < trapSize && trapTimes[t] < cutoff) {
            t++;
        }
        if (t > 0) {
            System.arraycopy(trapTimes, t, trapTimes, 0, trapSize - t);
            System.arraycopy(trapCounts, t, trapCounts, 0, trapSize - t);
            if (trapMembers != null) {
                System.arraycopy(trapMembers, t, trapMembers, 0, trapSize - t);
                java.util.Arrays.fill(trapMembers, trapSize - t, trapSize, null);
            }
            trapSize -= t;
        }
    }

    double lookups(long now, long halfLifeMillis) {
        if (lookupLevel == 0) {
            return 0;
        }
        long dt = now - lookupsAt;
        return dt <= 0 ? lookupLevel : lookupLevel * Math.exp(-LN2 * dt / halfLifeMillis);
    }

    void addLookups(long n, long now, long halfLifeMillis) {
        lookupLevel = lookups(now, halfLifeMillis) + n;
        lookupsAt = now;
    }

    /** Whether a spam report that still counts (not superseded) is on file. */
    boolean hasSpamReport() {
        for (int i = 0, n = current.size(); i < n; i++) {
            if (current.get(i).spam) {
                return true;
            }
        }
        return false;
    }

    /** Files a report (a restored one keeps its superseded flag, and is weighable). */
    void addReport(ReportEntry r) {
        addReport(r, true);
    }

    /**
     * Files a report; {@code mayWeigh} false leaves it out of {@link #weighable} (its member is
     * inert), and the member remembers that it has reports left out somewhere.
     */
    void addReport(ReportEntry r, boolean mayWeigh) {
        reports.add(r);
        if (!r.superseded) {
            current.add(r);
            if (mayWeigh) {
                weighable.add(r);
            } else {
                r.leftOut = true;
                r.member.leftOut = true;
            }
        }
    }

    /**
     * A member counts once per address and verdict: its earlier report of {@code spam}'s verdict
     * here is superseded. There is at most one (every report supersedes before it is filed), and
     * it is looked for oldest first: a member that reports an address again has mostly seen
     * others report it since (a flood's accounts take turns on their targets), and the walk to
     * the end of a thousand reports was a quarter of such a world's time.
     */
    void supersede(MemberState m, boolean spam) {
        for (int i = 0, n = current.size(); i < n; i++) {
            ReportEntry old = current.get(i);
            if (old.member == m && old.spam == spam) {
                old.superseded = true;
                current.remove(i);
                if (!old.leftOut) {
                    weighable.remove(old);
                }
                return;
            }
        }
    }

    /**
     * Puts {@code m}'s current reports here back among the weighable ones, in filing order: the
     * member may weigh something now (or forgets that this address holds reports of it).
     */
    void readmit(MemberState m) {
        ArrayList<ReportEntry> merged = null;
        int j = 0;
        for (int i = 0, n = current.size(); i < n; i++) {
            ReportEntry r = current.get(i);
            boolean kept = j < weighable.size() && weighable.get(j) == r;
            if (kept) {
                j++;
            } else if (r.member == m && merged == null) { // the first one left out: copy the weighable ones before it
                merged = new ArrayList<>(n);
                merged.addAll(weighable.subList(0, j));
            }
            if (merged != null && (kept || r.member == m)) {
                merged.add(r);
            }
            if (!kept && r.member == m) {
                r.leftOut = false;
            }
        }
        if (merged != null) {
            weighable = merged;
        }
    }

    /** Counts lookups toward the clean history (a day counts once it has {@code minPerDay} lookups). */
    void markTrafficDay(long now, long lookups, double minPerDay) {
        if (firstTrafficAt == Long.MIN_VALUE) {
            firstTrafficAt = now;
        }
        long day = Math.floorDiv(now, EngineConfig.DAY);
        if (day != lastTrafficDay) {
            long shift = day - lastTrafficDay;
            trafficDays = lastTrafficDay == Long.MIN_VALUE || shift >= 64 ? 0 : trafficDays << shift;
            lastTrafficDay = day;
            lookupsThatDay = 0;
        }
        lookupsThatDay += lookups;
        if (lookupsThatDay >= minPerDay) {
            trafficDays |= 1;
        }
    }

    /**
     * A new sender: first looked up less than {@code windowMillis} ago and without a clean record
     * (fewer than {@code tenureMinDays} clean days). New spam sources and botnet addresses are here;
     * a server with a sending history never is.
     */
    boolean newSender(long now, long windowMillis, int tenureMinDays) {
        return firstTrafficAt != Long.MIN_VALUE && now - firstTrafficAt < windowMillis && cleanDays(now) < tenureMinDays;
    }

    /** Days with enough lookups among the last 64 (as of {@code now}). */
    int cleanDays(long now) {
        if (lastTrafficDay == Long.MIN_VALUE || trafficDays == 0) {
            return 0;
        }
        long shift = Math.floorDiv(now, EngineConfig.DAY) - lastTrafficDay;
        return shift >= 64 ? 0 : Long.bitCount(trafficDays << Math.max(0, shift));
    }

    /** Spam was shown (a listing, an operator trap hit): the clean record starts again. */
    void clearHistory() {
        trafficDays = 0;
    }

    boolean struck(long memberId) {
        for (long id : struckMembers) {
            if (id == memberId) {
                return true;
            }
        }
        return false;
    }

    void addStruck(long memberId) {
        if (!struck(memberId)) {
            struckMembers = java.util.Arrays.copyOf(struckMembers, struckMembers.length + 1);
            struckMembers[struckMembers.length - 1] = memberId;
        }
    }

    /**
     * Nothing here matters any more: the book may forget this address. A lookup count far below
     * the volume bar's first step is forgotten too (otherwise every address the DNS responder was
     * ever asked about would be kept for months).
     */
    boolean idle(long now, long halfLifeMillis, double forgettableLookups, long newSenderMillis) {
        return !listed() && !held && !escalationVetoed && reports.isEmpty() && trapSize == 0 && struckMembers.length == 0
                && lookups(now, halfLifeMillis) < forgettableLookups && cleanDays(now) < 2
                // a new sender is kept: forgetting it would make its first report meet the bar of
                // an address nobody looks up until its next lookup count (up to an interval late)
                && (firstTrafficAt == Long.MIN_VALUE || now - firstTrafficAt >= newSenderMillis) && coalitionTargetUntil <= now;
    }

    private static final double LN2 = Math.log(2);
}
