package net.trustbl.report;

/**
 * This week's effect of a member's spam reports, for the dashboard and the weekly mail: reports
 * and their outcomes, DNS lookups of the reported addresses since the report, and of those the
 * lookups that came while the address was listed (connections likely refused).
 */
public record Impact(int reports, int confirmed, int cleared, long lookups, long likelyBlocked, int listedNow,
                     String trust, int strikes) { }
