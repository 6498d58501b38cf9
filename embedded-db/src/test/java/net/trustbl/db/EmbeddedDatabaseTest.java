package net.trustbl.db;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedDatabaseTest {

    @Test
    void dataSurvivesARestart(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("pg");
        try (EmbeddedDatabase db = EmbeddedDatabase.start(data, "trustbl", 0)) {
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
                 Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept (v int)");
                s.execute("INSERT INTO kept VALUES (42)");
            }
        }
        try (EmbeddedDatabase db = EmbeddedDatabase.start(data, "trustbl", 0)) {
            assertTrue(db.jdbcUrl().endsWith("/trustbl"));
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
                assertTrue(rs.next());
                assertEquals(42, rs.getInt(1));
            }
        }
    }

    @Test
    void rejectsUnsafeDatabaseNames(@TempDir Path tmp) {
        assertThrows(IllegalArgumentException.class, () -> EmbeddedDatabase.start(tmp, "x; DROP", 0));
    }
}
