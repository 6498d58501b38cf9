package net.trustbl.listing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the database remembers about one address's listing, for the lookup page: the recent spam
 * reports by channel and the listing history. Rows come back as records, never as {@code Object[]}.
 */
@ApplicationScoped
public class ListingHistoryStore {

    /** Spam reports of the last 7 days that still count, per channel ({@code api}, {@code web}, {@code email}). */
    public record ChannelCount(String channel, long count) { }

    /** One listing change: {@code change} as the history stores it ("created", "excluded"…), code 0 or -1 for none. */
    public record Change(Instant at, String change, int returnCode) { }

    @Inject
    EntityManager em;

    @Transactional
    public List<ChannelCount> spamReportsByChannel(String ip) {
        List<ChannelCount> out = new ArrayList<>();
        for (Object o : em.createNativeQuery("SELECT channel, count(*) FROM report WHERE ip = ?1 AND verdict = 'spam' "
                + "AND outcome NOT IN ('duplicate', 'cleared') AND created_at > now() - interval '7 days' GROUP BY channel ORDER BY 2 DESC")
                .setParameter(1, ip).getResultList()) {
            Object[] r = (Object[]) o;
            out.add(new ChannelCount((String) r[0], ((Number) r[1]).longValue()));
        }
        return out;
    }

    /** The latest {@code limit} changes, newest first. */
    @Transactional
    public List<Change> latestChanges(String ip, int limit) {
        List<Change> out = new ArrayList<>();
        for (Object o : em.createNativeQuery("SELECT (extract(epoch FROM at) * 1000)::bigint, change, return_code "
                + "FROM listing_change WHERE ip = ?1 ORDER BY serial DESC LIMIT ?2")
                .setParameter(1, ip).setParameter(2, limit).getResultList()) {
            Object[] r = (Object[]) o;
            out.add(new Change(Instant.ofEpochMilli(((Number) r[0]).longValue()), (String) r[1], ((Number) r[2]).intValue()));
        }
        return out;
    }
}
