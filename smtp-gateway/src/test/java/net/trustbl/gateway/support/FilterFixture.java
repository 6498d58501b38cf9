package net.trustbl.gateway.support;

import io.vertx.core.Vertx;
import net.trustbl.gateway.config.GatewayConfig;
import net.trustbl.gateway.filter.Filter;
import net.trustbl.gateway.filter.Stage;
import net.trustbl.gateway.filter.Verdict;
import net.trustbl.gateway.transaction.Transaction;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a filter's unit test class runs its filter with, started before its tests and stopped after
 * them: a Vert.x, and when asked a DNS server on loopback and the gateway's database. Registered as
 * {@code @RegisterExtension static final FilterFixture env = FilterFixture.withDns();}; the class's own
 * {@code @BeforeAll} runs after it (to fill the DNS tables).
 */
public final class FilterFixture implements BeforeAllCallback, AfterAllCallback {

    private final boolean withDns;
    private final boolean withDatabase;
    private Vertx vertx;
    private FakeDns dns;
    private TestDatabase db;

    private FilterFixture(boolean withDns, boolean withDatabase) {
        this.withDns = withDns;
        this.withDatabase = withDatabase;
    }

    /** Vert.x only (filters that work on a worker thread). */
    public static FilterFixture vertxOnly() {
        return new FilterFixture(false, false);
    }

    /** Vert.x and a {@link FakeDns}: configs from {@link #config} resolve through it. */
    public static FilterFixture withDns() {
        return new FilterFixture(true, false);
    }

    /** Vert.x and a {@link TestDatabase} with the gateway's migrations. */
    public static FilterFixture withDatabase() {
        return new FilterFixture(false, true);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        vertx = Vertx.vertx();
        if (withDns) {
            dns = new FakeDns();
        }
        if (withDatabase) {
            db = new TestDatabase();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            FilterCalls.close(vertx);
        } finally {
            if (dns != null) {
                dns.close();
            }
            if (db != null) {
                db.close();
            }
        }
    }

    public Vertx vertx() {
        return vertx;
    }

    public FakeDns dns() {
        return dns;
    }

    public TestDatabase db() {
        return db;
    }

    /** The defaults plus these settings, resolving through the fixture's DNS server when it has one. */
    public GatewayConfig config(String... keyValues) {
        return dns == null ? TestConfigs.gateway(keyValues) : TestConfigs.gatewayResolvingWith(dns, keyValues);
    }

    /** {@link FilterCalls#run} on this fixture's Vert.x. */
    public Verdict run(Filter filter, Stage stage, Transaction tx) throws Exception {
        return FilterCalls.run(vertx, filter, stage, tx);
    }
}
