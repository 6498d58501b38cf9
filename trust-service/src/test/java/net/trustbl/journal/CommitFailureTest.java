package net.trustbl.journal;

import org.junit.jupiter.api.Test;

import java.sql.BatchUpdateException;
import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CommitFailureTest {

    @Test
    void dataAndIntegrityErrorsAreTheEntriesFault() {
        assertEquals(CommitFailure.DATA, CommitFailure.of(new SQLException("invalid byte sequence for encoding \"UTF8\": 0x00", "22021")));
        assertEquals(CommitFailure.DATA, CommitFailure.of(new SQLException("value too long", "22001")));
        assertEquals(CommitFailure.DATA, CommitFailure.of(new SQLException("duplicate key", "23505")));
    }

    @Test
    void aBatchStatementCarriesTheServerErrorAsItsNextException() {
        BatchUpdateException batch = new BatchUpdateException("Batch entry 3 was aborted", null, 0, new int[0], null);
        batch.setNextException(new SQLException("invalid byte sequence", "22021"));
        assertEquals(CommitFailure.DATA, CommitFailure.of(batch));
    }

    @Test
    void connectionLossAndServerTroubleAreOutages() {
        assertEquals(CommitFailure.OUTAGE, CommitFailure.of(new SQLException("I/O error", "08006")));
        assertEquals(CommitFailure.OUTAGE, CommitFailure.of(new SQLException("terminating connection", "57P01")));
        assertEquals(CommitFailure.OUTAGE, CommitFailure.of(new SQLException("disk full", "53100")));
        assertEquals(CommitFailure.OUTAGE, CommitFailure.of(new RuntimeException(new SQLException("Acquisition timeout while waiting for new connection"))));
    }

    @Test
    void anythingElseIsWorthRetryingApart() {
        assertEquals(CommitFailure.OTHER, CommitFailure.of(new IllegalStateException("a bug")));
        assertEquals(CommitFailure.OTHER, CommitFailure.of(new SQLException("deadlock", "40P01")));
    }
}
