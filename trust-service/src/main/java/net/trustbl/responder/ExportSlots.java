package net.trustbl.responder;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import net.trustbl.common.ClientPrefix;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The rbldnsd export downloads running at once, per client and in all. A download's body is written
 * from a worker thread, which waits while the client does not read (back-pressure: the list may be
 * tens of megabytes unzipped): a few hundred anonymous connections that ask for the list and never
 * read would otherwise hold every worker until the idle timeout, and with them every endpoint that
 * runs on one. A download beyond a client's share (an IPv4 address, an IPv6 /64) or beyond the total
 * gets 503 + Retry-After; mirrors fetch once a minute, one file at a time, and never meet the limits.
 */
@ApplicationScoped
public class ExportSlots {

    @Inject
    DnsHostConfig config;

    private final Map<String, Integer> perClient = new HashMap<>();
    private int total;

    /** A download slot for this client address, or null when its share or all slots are taken. */
    synchronized Slot tryAcquire(String clientAddress) {
        String client = ClientPrefix.client(clientAddress);
        int mine = perClient.getOrDefault(client, 0);
        if (total >= config.export().maxDownloads() || mine >= config.export().maxDownloadsPerClient()) {
            return null;
        }
        perClient.put(client, mine + 1);
        total++;
        return new Slot(client);
    }

    /** Downloads running now (tests). */
    synchronized int inUse() {
        return total;
    }

    private synchronized void release(String client) {
        total--;
        // counts of zero are removed: the map holds only the clients downloading now
        perClient.computeIfPresent(client, (k, n) -> n > 1 ? n - 1 : null);
    }

    /** One running download; given back once, however many of its ends (body written, write failed, response ended) call it. */
    final class Slot {
        private final String client;
        private final AtomicBoolean released = new AtomicBoolean();

        private Slot(String client) {
            this.client = client;
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                ExportSlots.this.release(client);
            }
        }
    }
}
