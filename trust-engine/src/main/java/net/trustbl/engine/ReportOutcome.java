package net.trustbl.engine;

/** pending: not judged yet; confirmed: others/traps agreed; cleared: the listing was found wrong. */
public enum ReportOutcome {
    PENDING, CONFIRMED, CLEARED;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
