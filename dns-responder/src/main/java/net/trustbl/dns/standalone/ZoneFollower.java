package net.trustbl.dns.standalone;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * up-to-date check renews the {@link ZoneFreshness}; the primary's SOA expire, at most
 * {@link #MAX_EXPIRE}, bounds how long the data may be served without one. What a transfer may
 * bring is bounded too (see {@link TransferHandler}).
 */
public final class ZoneFollower implements AutoCloseable {

    /** {@code trustbl.dns.max-transfer-records}: far above any real zone (1,000,000 listings are about 2,000,000 records). */
    public static final long DEFAULT_MAX_TRANSFER_RECORDS = 20_000_000L;
    /**
     * The longest SOA expire taken from the primary: RFC 1912 2.2 suggests 2-4 weeks. The field
     * allows 136 years, which would keep serving data that stopped being refreshed long ago and
     * turn fail-closed off; a primary that asks for more gets four weeks.
     */
    public static final Duration MAX_EXPIRE = Duration.ofDays(28);
    /**
     * NOTIFYs start at most one refresh per this (the first at once): a flood of NOTIFYs, even
     * from the allowed address and signed, cannot make the follower transfer back to back; the
     * changes they announce are picked up by the one refresh that follows.
     */
    public static final Duration NOTIFY_MIN_INTERVAL = Duration.ofSeconds(5);
    private static final int FIRST_LOAD_RETRY_SECONDS = 5;
    private static final Logger LOG = Logger.getLogger(ZoneFollower.class.getName());

    private final String host;
    private final int port;
    private final ZoneRecords records;
    private final ZoneData data;
    private final TSIG tsig;
    private final ZoneFreshness freshness;
    private final long maxTransferRecords;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dns-follower");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean loaded;
    private volatile long transfers;
    private final AtomicLong refreshes = new AtomicLong();
    /** When the last refresh began; valid once {@link #refreshes} is above 0 (written before it). */
    private volatile long lastRefreshNanos;
    private ScheduledFuture<?> next;
    private int refreshSeconds = 300;
    private int retrySeconds = 60;

    public ZoneFollower(String host, int port, ZoneRecords records, ZoneData data, TSIG tsig) {
        this(host, port, records, data, tsig, ZoneFreshness.always());
    }

    public ZoneFollower(String host, int port, ZoneRecords records, ZoneData data, TSIG tsig, ZoneFreshness freshness) {
        this(host, port, records, data, tsig, freshness, DEFAULT_MAX_TRANSFER_RECORDS);
    }

    /** {@code maxTransferRecords}: a transfer of more records is refused and the loaded data stays. */
    public ZoneFollower(String host, int port, ZoneRecords records, ZoneData data, TSIG tsig, ZoneFreshness freshness,
            long maxTransferRecords) {
        if (maxTransferRecords <= 0) {
            throw new IllegalArgumentException("max transfer records must be positive: " + maxTransferRecords);
        }
        this.maxTransferRecords = maxTransferRecords;
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

    /**
     * A NOTIFY came in: check at once, or, when a refresh began less than
     * {@link #NOTIFY_MIN_INTERVAL} ago, once that much time has passed since (coalesced).
     */
    public void notified() {
        long wait = 0;
        if (refreshes.get() > 0) {
            long sinceMillis = (System.nanoTime() - lastRefreshNanos) / 1_000_000L;
            wait = Math.max(0, NOTIFY_MIN_INTERVAL.toMillis() - sinceMillis);
        }
        schedule(wait);
    }

    public long transfers() {
        return transfers;
    }

    /** Refreshes begun so far (the first load, the timers, NOTIFYs). */
    public long refreshes() {
        return refreshes.get();
    }

    private synchronized void schedule(long millis) {
        if (next != null && !next.isDone()) {
            if (next.getDelay(TimeUnit.MILLISECONDS) <= millis) {
                return;
            }
            next.cancel(false);
        }
        next = timer.schedule(this::refresh, millis, TimeUnit.MILLISECONDS);
    }

    /** One refresh; returns true on success. Runs on the timer thread. */
    boolean refresh() {
        lastRefreshNanos = System.nanoTime();
        refreshes.incrementAndGet();
        try {
            ZoneTransferIn xfr = loaded
                    ? ZoneTransferIn.newIXFR(records.zone(), data.serial() & 0xffffffffL, true, host, port, tsig)
                    : ZoneTransferIn.newAXFR(records.zone(), host, port, tsig);
            xfr.setTimeout(Duration.ofSeconds(60));
            TransferHandler handler = new TransferHandler(records, loaded ? data.serial() : -1, maxTransferRecords);
            try {
                xfr.run(handler);
            } catch (TransferHandler.NotNewer e) {
                if (!e.sameSerial()) {
                    throw e;
                }
                // a full transfer of the serial we hold, stopped at its first record: we are current
            }
            if (!handler.current()) {
                handler.applyTo(data);
                loaded |= handler.wasFull();
                transfers++;
            }
            if (handler.soa() != null) {
                remember(handler.soa()); // only now: a refused transfer's SOA changes nothing either
            }
            freshness.refreshed();
            schedule(refreshSeconds * 1000L);
            return true;
        } catch (Exception e) {
            LOG.log(Level.WARNING, "zone transfer from " + host + ":" + port + " failed: " + e
                    + (loaded ? "" : " (answering SERVFAIL until a transfer succeeds)"));
            // without data every query fails: try again soon rather than after the SOA retry
            schedule((loaded ? retrySeconds : Math.min(retrySeconds, FIRST_LOAD_RETRY_SECONDS)) * 1000L);
            return false;
        }
    }

    private void remember(SOARecord soa) {
        refreshSeconds = (int) Math.max(5, Math.min(86_400, soa.getRefresh()));
        retrySeconds = (int) Math.max(5, Math.min(86_400, soa.getRetry()));
        freshness.expireAfter(Duration.ofSeconds(Math.min(MAX_EXPIRE.toSeconds(), soa.getExpire())));
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
