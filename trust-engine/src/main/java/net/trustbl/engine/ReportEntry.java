package net.trustbl.engine;

/** One report as evidence on one address (mutable outcome; owned by {@link IpEvidence}). */
final class ReportEntry {

    final long reportId;
    final MemberState member;
    final boolean spam;
    final long atMillis;
    final double strength;
    /** Whether the account was old enough when it filed this report. */
    final boolean agedEnough;
    ReportOutcome outcome = ReportOutcome.PENDING;
    /** A later report of the same member and verdict on the same address replaced this one. */
    boolean superseded;
    /** A spam report on an address that was not visibly listed: a claim its precision is judged on. */
    boolean claim;
    /** Filed while the address's score was low (a warning, not a pile-on): only such reports earn trust. */
    boolean early;
    /** It earned its reporter trust already (once per report). */
    boolean earned;
    /** Current but left out of its address's weighable reports (IpEvidence#weighable): its member is inert. */
    boolean leftOut;

    ReportEntry(long reportId, MemberState member, boolean spam, long atMillis, double strength, boolean agedEnough) {
        this.reportId = reportId;
        this.member = member;
        this.spam = spam;
        this.atMillis = atMillis;
        this.strength = strength;
        this.agedEnough = agedEnough;
    }
}
