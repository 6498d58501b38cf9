package net.trustbl.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * A real PostgreSQL server running from the zonky binaries, with its data in a local folder.
 *
 * <p>Used when the operator configured no external database: the data folder survives restarts
 * (initdb runs only when the folder is new), so the embedded default is a real deployment
 * option for a small site, not a test double. Tests use the same class with a throw-away folder.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class.getName());

    private final EmbeddedPostgres postgres;
    private final String databaseName;
    private final Path dataDirectory;

    private EmbeddedDatabase(EmbeddedPostgres postgres, String databaseName, Path dataDirectory) {
        this.postgres = postgres;
        this.databaseName = databaseName;
        this.dataDirectory = dataDirectory;
    }

    /**
     * Starts PostgreSQL on loopback with its data in {@code dataDirectory}, creating the folder and
     * the database {@code databaseName} when they do not exist yet.
     *
     * @param port 0 picks a free port
     */
    public static EmbeddedDatabase start(Path dataDirectory, String databaseName, int port) {
        if (!databaseName.matches("[a-z][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("database name must be a lower-case SQL identifier: " + databaseName);
        }
        try {
            Path dir = dataDirectory.toAbsolutePath();
            Files.createDirectories(dir.getParent());
            stopOrphanedServer(dir);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    // keep the data: only a folder without postgresql.conf gets initdb
                    .setCleanDataDirectory(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "100")
                    // durability stays on: an acknowledged report must survive kill -9
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on");
            if (port > 0) {
                builder.setPort(port);
            }
            EmbeddedPostgres pg = startWithRetry(builder, port);
            EmbeddedDatabase db = new EmbeddedDatabase(pg, databaseName, dir);
            db.createDatabaseIfMissing();
            LOG.info(() -> "Embedded PostgreSQL started on 127.0.0.1:" + pg.getPort() + " with data in " + dir);
            return db;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL in " + dataDirectory, e);
        }
    }

    /**
     * A free port picked by zonky can be taken by someone else before PostgreSQL binds it; with a
     * picked port, try again a few times instead of failing the start.
     */
    private static EmbeddedPostgres startWithRetry(EmbeddedPostgres.Builder builder, int port) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < (port > 0 ? 1 : 3); attempt++) {
            try {
                return builder.start();
            } catch (IOException | IllegalStateException e) {
                last = e instanceof IOException io ? io : new IOException(e);
                LOG.warning("embedded PostgreSQL did not start (" + e.getMessage() + "), retrying");
            }
        }
        throw last;
    }

    /**
     * After a kill -9 of the JVM its PostgreSQL child keeps running and holds the data folder;
     * stop it (SIGTERM, then wait) so that this start can take over the same data.
     */
    static void stopOrphanedServer(Path dir) throws IOException {
        Path pidFile = dir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
        if (!first.matches("\\d{1,10}")) {
            return;
        }
        ProcessHandle.of(Long.parseLong(first))
                .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false))
                .ifPresent(p -> {
                    LOG.warning(() -> "Stopping orphaned PostgreSQL (pid " + p.pid() + ") left in " + dir);
                    p.destroy();
                    try {
                        p.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (Exception e) {
                        p.destroyForcibly();
                    }
                });
    }

    private void createDatabaseIfMissing() {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + databaseName + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            s.execute("CREATE DATABASE " + databaseName);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + databaseName, e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + databaseName;
    }

    /** The zonky server runs with trust authentication on loopback; user "postgres". */
    public String username() {
        return "postgres";
    }

    public String password() {
        return "postgres";
    }

    public int port() {
        return postgres.getPort();
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Stops the server with a fast shutdown (a checkpoint is written, clients are disconnected). */
    @Override
    public void close() {
        try {
            postgres.close();
            LOG.info("Embedded PostgreSQL stopped");
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop embedded PostgreSQL", e);
        }
    }
}
