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
    void aRefusedRowThatQuotesOutageWordsIsStillTheEntrysFault() {
        // pgjdbc quotes the failed batch entry's values in the message: a member's note is in it
        BatchUpdateException batch = new BatchUpdateException("Batch entry 1 INSERT INTO report (id, note) VALUES "
                + "(('2'::int8), ('Connection refused, says this note')) was aborted: ERROR: value too long", "22001", 0, new int[0], null);
        assertEquals(CommitFailure.DATA, CommitFailure.of(batch));
        assertEquals(CommitFailure.DATA, CommitFailure.of(new RuntimeException(
                new SQLException("ERROR: character with byte sequence ... ('Acquisition timeout')", "22P05"))));
        assertEquals(CommitFailure.OTHER, CommitFailure.of(new SQLException("ERROR: deadlock; note 'Connection refused'", "40P01")),
                "a server error's message proves no outage");
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
