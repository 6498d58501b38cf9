package net.trustbl.common;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/** Recognises "the database is not reachable" so callers can answer 503 instead of 500. */
public final class DatabaseFailures {

    private DatabaseFailures() {
    }

    public static boolean isDatabaseDown(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLTransientConnectionException) {
                return true;
            }
            if (c instanceof SQLException s && s.getSQLState() != null
                    && (s.getSQLState().startsWith("08") || s.getSQLState().startsWith("57P"))) {
                return true; // connection exception class, admin shutdown
            }
            if (c.getClass().getName().equals("org.hibernate.exception.JDBCConnectionException")) {
                return true;
            }
            if (c instanceof java.net.ConnectException) {
                return true;
            }
            // the pool's own messages carry no SQLState; a server error's message may quote a row's
            // text (pgjdbc puts a failed batch entry's values into it), so its words prove nothing
            boolean serverError = c instanceof SQLException s && s.getSQLState() != null;
            String msg = String.valueOf(c.getMessage());
            if (!serverError && (msg.contains("Acquisition timeout") || msg.contains("Connection refused"))) {
                return true;
            }
        }
        return false;
    }
}
