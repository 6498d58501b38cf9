package net.trustbl.gateway.support;

import net.trustbl.db.EmbeddedDatabase;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The gateway's database for unit tests of the filters that keep state in it (greylisting, the
 * trap-hit queue): a real embedded PostgreSQL in a throw-away folder, with the gateway's own
 * migrations applied, as GatewayTestResource gives the Quarkus tests.
 */
public final class TestDatabase implements AutoCloseable {

    private final Path dir;
    private final EmbeddedDatabase db;
    private final PGSimpleDataSource ds = new PGSimpleDataSource();

    public TestDatabase() {
        try {
            dir = Files.createTempDirectory("gateway-db-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        db = EmbeddedDatabase.start(dir.resolve("pg"), "gateway", 0);
        ds.setUrl(db.jdbcUrl());
        ds.setUser(db.username());
        ds.setPassword(db.password());
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
    }

    public DataSource dataSource() {
        return ds;
    }

    /** The number of rows of {@code table} (a table name of the migrations, never input) where the condition holds. */
    public int count(String table, String where, Object... params) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + table + " WHERE " + where)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Override
    public void close() throws IOException {
        db.close();
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
