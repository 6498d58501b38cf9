package net.trustbl.dns.standalone;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import net.trustbl.dns.index.ZoneData;
import net.trustbl.dns.server.ZoneFreshness;
import net.trustbl.dns.zone.ZoneRecords;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.ZoneTransferIn;

/**
 * Follows a primary as a secondary does: AXFR first, then IXFR (falling back to AXFR) on every
 * NOTIFY and on the SOA refresh timer (retry timer after a failure). Every successful transfer or
 * up-to-date check renews the {@link ZoneFreshness}; the primary's SOA expire bounds how long the
 * data may be served without one.
 */
public final class ZoneFollower implements AutoCloseable {

    private static final int FIRST_LOAD_RETRY_SECONDS = 5;
    private static final Logger LOG = Logger.getLogger(ZoneFollower.class.getName());

    private final String host;
    private final int port;
    private final ZoneRecords records;
    private final ZoneData data;
    private final TSIG tsig;
    private final ZoneFreshness freshness;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dns-follower");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean loaded;
    private volatile long transfers;
    private ScheduledFuture<?> next;
    private int refreshSeconds = 300;
    private int retrySeconds = 60;

    public ZoneFollower(String host, int port, ZoneRecords records, ZoneData data, TSIG tsig) {
        this(host, port, records, data, tsig, ZoneFreshness.always());
    }

    public ZoneFollower(String host, int port, ZoneRecords records, ZoneData data, TSIG tsig, ZoneFreshness freshness) {
        this.host = host;
        this.port = port;
        this.records = records;
        this.data = data;
        this.tsig = tsig;
        this.freshness = freshness;
    }

    public void start() {
        schedule(0);
    }

    /** A NOTIFY came in: check soon (coalesced). */
    public void notified() {
        schedule(0);
    }

    public long transfers() {
        return transfers;
    }

    private synchronized void schedule(long seconds) {
        if (next != null && !next.isDone()) {
            if (next.getDelay(TimeUnit.SECONDS) <= seconds) {
                return;
            }
            next.cancel(false);
        }
        next = timer.schedule(this::refresh, seconds, TimeUnit.SECONDS);
    }

    /** One refresh; returns true on success. Runs on the timer thread. */
    boolean refresh() {
        try {
            ZoneTransferIn xfr = loaded
                    ? ZoneTransferIn.newIXFR(records.zone(), data.serial() & 0xffffffffL, true, host, port, tsig)
                    : ZoneTransferIn.newAXFR(records.zone(), host, port, tsig);
            xfr.setTimeout(Duration.ofSeconds(60));
            TransferHandler handler = new TransferHandler(records, this::remember);
            xfr.run(handler);
            if (!handler.current()) {
                handler.applyTo(data);
                loaded |= handler.wasFull();
                transfers++;
            }
            freshness.refreshed();
            schedule(refreshSeconds);
            return true;
        } catch (Exception e) {
            LOG.log(Level.WARNING, "zone transfer from " + host + ":" + port + " failed: " + e
                    + (loaded ? "" : " (answering SERVFAIL until a transfer succeeds)"));
            // without data every query fails: try again soon rather than after the SOA retry
            schedule(loaded ? retrySeconds : Math.min(retrySeconds, FIRST_LOAD_RETRY_SECONDS));
            return false;
        }
    }

    private void remember(SOARecord soa) {
        refreshSeconds = (int) Math.max(5, Math.min(86_400, soa.getRefresh()));
        retrySeconds = (int) Math.max(5, Math.min(86_400, soa.getRetry()));
        freshness.expireAfter(Duration.ofSeconds(soa.getExpire()));
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
