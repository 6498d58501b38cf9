package net.trustbl.journal;

import net.trustbl.common.DatabaseFailures;

import java.sql.SQLException;

/** Why a commit attempt failed, as far as what the journal does next is concerned. */
enum CommitFailure {

    /**
     * The database is away or cannot work (connection lost, shutting down, out of disk or memory,
     * internal error): nothing can be stored now, whatever the entries hold. Callers get 503.
     */
    OUTAGE,
    /**
     * The database refused what was written (SQLState class 22 data exception, 23 integrity
     * constraint): one entry is bad, the others are fine. The bad one gets 422.
     */
    DATA,
    /** Anything else (a bug, a transient refusal): worth retrying the entries apart; 503 if one still fails. */
    OTHER;

    static CommitFailure of(Throwable failure) {
        CommitFailure kind = OTHER;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            // a failed batch statement carries the server's error as its next exception
            for (SQLException s = t instanceof SQLException first ? first : null; s != null; s = s.getNextException()) {
                CommitFailure k = ofState(s.getSQLState());
                if (k == OUTAGE) {
                    return OUTAGE;
                }
                if (k == DATA) {
                    kind = DATA;
                }
            }
        }
        // the server's error code first: its message quotes the refused row, which a member wrote
        // (a note saying "Connection refused" must not pass for an outage and fail everyone's batch)
        if (kind == DATA) {
            return DATA;
        }
        return DatabaseFailures.isDatabaseDown(failure) ? OUTAGE : kind;
    }

    private static CommitFailure ofState(String state) {
        if (state == null || state.length() < 2) {
            return OTHER;
        }
        return switch (state.substring(0, 2)) {
            case "22", "23" -> DATA;
            // connection, operator intervention, insufficient resources, system and internal errors
            case "08", "57", "53", "58", "XX" -> OUTAGE;
            default -> OTHER;
        };
    }
}
