package net.trustbl.watch;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import net.trustbl.address.IpBlock;
import net.trustbl.common.SqlTimes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The SQL of sender watch: watched networks, the notifier's cursor and its sent-notice log. */
@ApplicationScoped
public class WatchStore {

    /** A listing change read from the listing history. */
    public record ListingChange(long serial, Instant at, String ip, String change, int returnCode) { }

    /** A listing change inside a watched network, with where to mail. */
    public record Hit(ListingChange change, long watchId, long memberId, String email, String network) { }

    @Inject
    EntityManager em;

    @Transactional
    public List<Watch> list(long memberId) {
        List<Watch> out = new ArrayList<>();
        for (Object o : em.createNativeQuery("SELECT id, member_id, cast(network as text), label, created_at FROM sender_watch "
                + "WHERE member_id = ?1 ORDER BY network").setParameter(1, memberId).getResultList()) {
            Object[] r = (Object[]) o;
            out.add(new Watch(((Number) r[0]).longValue(), ((Number) r[1]).longValue(), canonical((String) r[2]), (String) r[3], SqlTimes.toInstant(r[4])));
        }
        return out;
    }

    @Transactional
    public int count(long memberId) {
        return ((Number) em.createNativeQuery("SELECT count(*) FROM sender_watch WHERE member_id = ?1")
                .setParameter(1, memberId).getSingleResult()).intValue();
    }

    /** What {@link #insertWithin} returns when the member already has its most watches. */
    public static final long FULL = -1;

    /**
     * Inserts a watch unless the member already has {@code max}: counted under a lock on the
     * member's row, so parallel adds cannot all pass the count first. Returns the new id, null when
     * the member already watches exactly this network, or {@link #FULL}.
     */
    @Transactional
    public Long insertWithin(long memberId, String network, String label, int max) {
        em.createNativeQuery("SELECT id FROM member WHERE id = ?1 FOR UPDATE").setParameter(1, memberId).getResultList();
        if (count(memberId) >= max) {
            return FULL;
        }
        return insert(memberId, network, label);
    }

    /** Inserts a watch; returns null when the member already watches exactly this network. */
    @Transactional
    public Long insert(long memberId, String network, String label) {
        List<?> id = em.createNativeQuery("INSERT INTO sender_watch (member_id, network, label) VALUES (?1, cast(?2 as cidr), ?3) "
                        + "ON CONFLICT (member_id, network) DO NOTHING RETURNING id")
                .setParameter(1, memberId).setParameter(2, network).setParameter(3, label).getResultList();
        return id.isEmpty() ? null : ((Number) id.get(0)).longValue();
    }

    @Transactional
    public boolean delete(long memberId, long watchId) {
        return em.createNativeQuery("DELETE FROM sender_watch WHERE id = ?1 AND member_id = ?2")
                .setParameter(1, watchId).setParameter(2, memberId).executeUpdate() > 0;
    }

    @Transactional
    public boolean emailConfirmed(long memberId) {
        List<?> r = em.createNativeQuery("SELECT email_confirmed FROM member WHERE id = ?1 AND status = 'active'")
                .setParameter(1, memberId).getResultList();
        return !r.isEmpty() && Boolean.TRUE.equals(r.get(0));
    }

    /**
     * Where the notifier stopped. On the very first run it starts at the newest change, so that
     * turning the feature on does not mail the whole history.
     */
    @Transactional
    public long cursor() {
        em.createNativeQuery("INSERT INTO sender_watch_cursor (id, last_serial) "
                + "SELECT 1, coalesce(max(serial), 0) FROM listing_change ON CONFLICT (id) DO NOTHING").executeUpdate();
        return ((Number) em.createNativeQuery("SELECT last_serial FROM sender_watch_cursor WHERE id = 1")
                .getSingleResult()).longValue();
    }

    /** Moves the cursor forward only (two instances racing never move it back). */
    @Transactional
    public void advance(long serial) {
        em.createNativeQuery("UPDATE sender_watch_cursor SET last_serial = ?1 WHERE id = 1 AND last_serial < ?1")
                .setParameter(1, serial).executeUpdate();
    }

    /** The newest serial among the next {@code limit} listing changes after {@code serial} (where to move the cursor). */
    @Transactional
    public long lastSerialOf(long serial, int limit) {
        return ((Number) em.createNativeQuery("SELECT coalesce(max(serial), ?1) FROM (SELECT serial FROM listing_change "
                + "WHERE serial > ?1 ORDER BY serial LIMIT ?2) c").setParameter(1, serial).setParameter(2, limit)
                .getSingleResult()).longValue();
    }

    /**
     * Listings and delistings in {@code (after, upTo]} inside watched networks of active, confirmed
     * members, in serial order: one query, whatever the number of watches.
     */
    @Transactional
    public List<Hit> hits(long after, long upTo) {
        List<Hit> out = new ArrayList<>();
        for (Object o : em.createNativeQuery("SELECT c.serial, c.at, c.ip, c.change, c.return_code, w.id, w.member_id, m.email, "
                        + "cast(w.network as text) FROM listing_change c JOIN sender_watch w ON w.network && cast(c.ip as cidr) "
                        + "JOIN member m ON m.id = w.member_id WHERE c.serial > ?1 AND c.serial <= ?2 "
                        + "AND c.change IN ('created', 'removed') AND m.status = 'active' AND m.email_confirmed "
                        + "ORDER BY m.id, c.serial, w.id").setParameter(1, after).setParameter(2, upTo).getResultList()) {
            Object[] r = (Object[]) o;
            out.add(new Hit(new ListingChange(((Number) r[0]).longValue(), SqlTimes.toInstant(r[1]), (String) r[2], (String) r[3],
                    ((Number) r[4]).intValue()), ((Number) r[5]).longValue(), ((Number) r[6]).longValue(), (String) r[7],
                    canonical((String) r[8])));
        }
        return out;
    }

    /** Claims the right to mail this change for this watch; false when it was already mailed. */
    @Transactional
    public boolean claim(long watchId, long serial) {
        return em.createNativeQuery("INSERT INTO sender_watch_notice (watch_id, serial) VALUES (?1, ?2) ON CONFLICT DO NOTHING")
                .setParameter(1, watchId).setParameter(2, serial).executeUpdate() > 0;
    }

    /** Gives claims back after a failed send, so that the next run retries them. */
    @Transactional
    public void release(long watchId, long serial) {
        em.createNativeQuery("DELETE FROM sender_watch_notice WHERE watch_id = ?1 AND serial = ?2")
                .setParameter(1, watchId).setParameter(2, serial).executeUpdate();
    }

    /** The sent-notice log is only needed for the re-read window; old rows go. */
    @Transactional
    public int pruneNotices() {
        return em.createNativeQuery("DELETE FROM sender_watch_notice WHERE sent_at < now() - interval '30 days'").executeUpdate();
    }

    /** PostgreSQL prints a cidr with its mask always ("192.0.2.7/32"); the API speaks IpBlock's canonical text. */
    static String canonical(String cidr) {
        return IpBlock.parse(cidr).toString();
    }
}
