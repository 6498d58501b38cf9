package net.trustbl.common;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;

/** A native query's timestamp column as an Instant, whichever type the JDBC driver chose for it. */
public final class SqlTimes {

    private SqlTimes() {
    }

    public static Instant toInstant(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof Instant i) {
            return i;
        }
        if (o instanceof Timestamp t) {
            return t.toInstant();
        }
        if (o instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        throw new IllegalArgumentException("not a time: " + o.getClass());
    }
}
