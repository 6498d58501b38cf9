package net.trustbl.db;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** V73 on a database that already holds several accounts of one mailbox: it must not fail on them. */
class MailboxMigrationTest {

    @Test
    void existingDuplicatesKeepTheirRowsAndGetTheirMailbox() throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.start(Files.createTempDirectory("trustbl-v73").resolve("pg"), "trustbl", 0)) {
            Flyway.configure().dataSource(db.jdbcUrl(), db.username(), db.password()).target("72").load().migrate();
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
                 Statement s = c.createStatement()) {
                s.execute("INSERT INTO member (email, password_hash, query_key, report_alias) VALUES "
                        + "('me@gmail.com', 'x', 'qkey000001', 'alias1'), ('m.e+1@gmail.com', 'x', 'qkey000002', 'alias2'), "
                        + "('me@googlemail.com', 'x', 'qkey000003', 'alias3'), ('first-last+x@example.org', 'x', 'qkey000004', 'alias4'), "
                        + "('firstlast@example.org', 'x', 'qkey000005', 'alias5')");

                Flyway.configure().dataSource(db.jdbcUrl(), db.username(), db.password()).load().migrate();

                List<String> rows = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("SELECT email, email_canonical FROM member ORDER BY id")) {
                    while (rs.next()) {
                        rows.add(rs.getString(1) + " " + rs.getString(2));
                    }
                }
                assertEquals(List.of("me@gmail.com me@gmail.com", "m.e+1@gmail.com me@gmail.com",
                        "me@googlemail.com me@gmail.com", "first-last+x@example.org first-last@example.org",
                        "firstlast@example.org firstlast@example.org"), rows);
            }
        }
    }
}
