package net.trustbl.watch;

import net.trustbl.address.ReturnCode;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import net.trustbl.common.TrustBlConfig;
import net.trustbl.mail.Mails;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the listing history and mails each watcher the listings and delistings inside their
 * networks, one mail per member and run. Every (watch, change) is claimed in the database
 * before it is mailed, so a restart, the re-read window or a second replica never mails twice;
 * a failed send gives its claims back and the next run tries again.
 */
@ApplicationScoped
public class WatchNotifier {

    private static final Logger LOG = Logger.getLogger(WatchNotifier.class);

    /**
     * Listing changes are written after the journal commits, so a slow batch can land below the
     * cursor; the last few hundred serials are read again (the claims make that free of repeats).
     */
    static final int REREAD = 500;
    static final int BATCH = 2000;

    private record Claim(long watchId, long serial) { }

    private DailyMailBudget budget;

    private static final class Pending {
        final String email;
        final List<Mails.WatchNotice> notices = new ArrayList<>();
        final List<Claim> claims = new ArrayList<>();
        /** Changes beyond the per-mail limit: counted, and left to the watches page. */
        int more;

        Pending(String email) {
            this.email = email;
        }
    }

    @Inject
    WatchStore store;

    @Inject
    WatchConfig config;

    @Inject
    Mails mails;

    @Inject
    TrustBlConfig trustbl;

    @Scheduled(every = "{trustbl.watch.interval}", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            LOG.warnf("sender watch: could not read or mail listing changes (next run retries): %s", String.valueOf(e));
        }
    }

    /** One pass over the new listing changes; returns how many mails went out. */
    public int runOnce() {
        long cursor = store.cursor();
        long upTo = store.lastSerialOf(cursor, BATCH);
        Map<Long, Pending> byMember = new LinkedHashMap<>();
        for (WatchStore.Hit h : store.hits(Math.max(0, cursor - REREAD), upTo)) {
            Pending p = byMember.computeIfAbsent(h.memberId(), id -> new Pending(h.email()));
            if (p.notices.size() >= config.maxChangesPerMail()) {
                p.more++;
            } else if (store.claim(h.watchId(), h.change().serial())) {
                WatchStore.ListingChange c = h.change();
                p.claims.add(new Claim(h.watchId(), c.serial()));
                p.notices.add(new Mails.WatchNotice(c.ip(), h.network(), "created".equals(c.change()),
                        c.returnCode() == 0 ? "" : ReturnCode.listedAddress(c.returnCode()), c.at().toString(), base() + "/lookup/" + c.ip()));
            }
        }
        int sent = 0;
        int overBudget = 0;
        long today = Math.floorDiv(System.currentTimeMillis(), 86_400_000L);
        for (Map.Entry<Long, Pending> e : byMember.entrySet()) {
            Pending p = e.getValue();
            if (p.notices.isEmpty()) {
                continue;
            }
            if (!budget.tryTake(e.getKey(), today)) {
                overBudget++; // claimed, so not mailed later either: the watches page lists them
                continue;
            }
            if (mails.sendWatchNotice(p.email, p.notices, p.more, base() + "/watches")) {
                sent++;
            } else {
                p.claims.forEach(c -> store.release(c.watchId(), c.serial()));
            }
        }
        store.advance(upTo);
        if (sent > 0 || overBudget > 0) {
            LOG.infof("sender watch: %d notice mails sent, %d members over trustbl.watch.max-mails-per-day", sent, overBudget);
        }
        return sent;
    }

    @jakarta.annotation.PostConstruct
    void init() {
        budget = new DailyMailBudget(config.maxMailsPerDay());
    }

    @Scheduled(every = "24h", delayed = "1h", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void prune() {
        store.pruneNotices();
    }

    private String base() {
        String u = trustbl.publicUrl();
        return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }
}
