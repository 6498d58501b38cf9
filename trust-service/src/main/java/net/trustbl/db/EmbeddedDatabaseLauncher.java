package net.trustbl.db;

import net.trustbl.common.TrustBlConfig;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Decides between the embedded and an external database before Quarkus starts, and stops the
 * embedded server after Quarkus has shut down (also on SIGTERM, via a shutdown hook that waits
 * for the orderly stop first).
 */
public final class EmbeddedDatabaseLauncher {

    private static final String URL_KEY = "quarkus.datasource.jdbc.url";
    private static volatile EmbeddedDatabaseLauncher current;
    /** The URL of the embedded server this process started (set as a system property for Quarkus). */
    private static volatile String embeddedUrl;

    private final EmbeddedDatabase database;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private EmbeddedDatabaseLauncher(EmbeddedDatabase database) {
        this.database = database;
    }

    /**
     * @param dataDirKey config key of the base data folder (e.g. {@code trustbl.data-dir})
     * @param subDir     folder below it that holds the PostgreSQL cluster
     */
    public static EmbeddedDatabaseLauncher startIfNoExternalDatabase(String dataDirKey, String subDir, String dbName) {
        if (externalDatabaseConfigured()) {
            return new EmbeddedDatabaseLauncher(null);
        }
        // read before Quarkus starts, so not through the mapping, but with its defaults
        String base = ConfigProvider.getConfig().getOptionalValue(dataDirKey, String.class).orElse(TrustBlConfig.DEFAULT_DATA_DIR);
        int port = ConfigProvider.getConfig().getOptionalValue("trustbl.db.embedded-port", Integer.class)
                .orElse(Integer.parseInt(TrustBlConfig.Db.DEFAULT_EMBEDDED_PORT));
        EmbeddedDatabase db = EmbeddedDatabase.start(Path.of(base, subDir), dbName, port);
        embeddedUrl = db.jdbcUrl();
        System.setProperty(URL_KEY, db.jdbcUrl());
        System.setProperty("quarkus.datasource.username", db.username());
        System.setProperty("quarkus.datasource.password", db.password());
        EmbeddedDatabaseLauncher launcher = new EmbeddedDatabaseLauncher(db);
        current = launcher;
        Runtime.getRuntime().addShutdownHook(new Thread(launcher::stopAfterQuarkus, "embedded-postgres-stop"));
        return launcher;
    }

    static boolean externalDatabaseConfigured() {
        Config config;
        try {
            config = ConfigProvider.getConfig();
        } catch (RuntimeException e) {
            config = null; // no config yet: the environment and system properties decide
        }
        return externalDatabaseConfigured(System.getenv("QUARKUS_DATASOURCE_JDBC_URL"),
                System.getProperty(URL_KEY), config);
    }

    /**
     * An external database is configured when a JDBC URL comes from anywhere Quarkus reads
     * configuration: the environment, a system property, or a config source (application.properties
     * in the jar, {@code .env}, {@code config/application.properties} in the working folder…).
     * The URL this launcher set itself for an embedded server it started does not count (the
     * application.properties shipped with the service deliberately has no URL, so no default
     * ever makes one look present).
     */
    static boolean externalDatabaseConfigured(String env, String sysProp, Config config) {
        if (isExternal(env) || isExternal(sysProp)) {
            return true;
        }
        if (config == null) {
            return false;
        }
        try {
            return isExternal(config.getOptionalValue(URL_KEY, String.class).orElse(null));
        } catch (RuntimeException e) {
            return false; // e.g. an unresolvable ${...} expression: Quarkus will report it itself
        }
    }

    private static boolean isExternal(String url) {
        return notBlank(url) && !url.equals(embeddedUrl);
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    /** Stops the embedded database of this process, if there is one (late in Quarkus' shutdown). */
    public static void stopCurrent() {
        EmbeddedDatabaseLauncher l = current;
        if (l != null) {
            l.stop();
        }
    }

    /** Called once Quarkus has stopped (or from its last shutdown observer). */
    public void stop() {
        if (database != null && stopped.getCount() > 0) {
            synchronized (this) {
                if (stopped.getCount() > 0) {
                    database.close();
                    stopped.countDown();
                }
            }
        }
    }

    private void stopAfterQuarkus() {
        try {
            // Quarkus' own shutdown stops PostgreSQL from its last ShutdownEvent observer; wait for
            // that, and stop it here only when Quarkus never got that far
            if (!stopped.await(20, TimeUnit.SECONDS)) {
                stop();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
        }
    }
}
