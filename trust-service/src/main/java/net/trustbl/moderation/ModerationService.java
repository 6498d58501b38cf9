package net.trustbl.moderation;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import net.trustbl.common.AuditLog;
import net.trustbl.common.ProblemException;
import net.trustbl.common.SqlTimes;
import net.trustbl.common.TrustBlConfig;
import net.trustbl.engine.EngineEvent;
import net.trustbl.address.IpBlock;
import net.trustbl.journal.EventJournal;
import net.trustbl.journal.JournalEntry;
import net.trustbl.mail.MailTokens;
import net.trustbl.mail.Mails;
import org.jboss.logging.Logger;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The moderation queue: delisting requests from senders (confirmed by mail before a moderator
 * sees them), disputes from members, and the engine's holds (big senders, clean records,
 * coalition targets, marked accounts' reports). A decision is a fact for the trust engine,
 * written through the journal like every other engine input:
 * <ul>
 *   <li>delisting request or dispute upheld: the listing was wrong, the engine drops the evidence
 *       and strikes the reporters ({@code DelistingDecided(ip, true)}); rejected: the evidence
 *       stands and pending reports are confirmed ({@code DelistingDecided(ip, false)});</li>
 *   <li>hold upheld: the evidence is right, list despite the volume, caps or record
 *       ({@code DelistingDecided(ip, false)}); rejected: no spam there ({@code HoldDismissed(ip)}):
 *       a hold listed nothing, so nobody is struck, unless the address is listed all the same
 *       (a disputed listing, a coalition's listing kept for a moderator), which ends as a wrong
 *       listing; what would list the address next comes to a moderator first, as after an upheld
 *       delisting request (README rule 10);</li>
 *   <li>exclusion request (an innocent address inside a listed block) upheld: the address is
 *       excluded from the block listing, the block stays listed ({@code AddressExcluded(ip)});
 *       rejected: nothing changes.</li>
 * </ul>
 */
@ApplicationScoped
public class ModerationService {

    private static final Logger LOG = Logger.getLogger(ModerationService.class);
    public static final String DELISTING = "delisting-request";
    public static final String DISPUTE = "dispute";
    public static final String HOLD = "big-sender-hold";
    public static final String EXCLUSION = "exclusion-request";
    static final Duration CONFIRM_WITHIN = Duration.ofHours(48);
    public static final int MAX_MESSAGE = 2000;

    /** One row of the queue. */
    public record Item(long id, String kind, String ip, String reason, String status, Instant createdAt,
                       Instant decidedAt, Long decidedBy, String requesterEmail, String message) {

        /** True when "upheld" means the listing goes away (false: the evidence stands). */
        public boolean upholdDelists() {
            return !HOLD.equals(kind);
        }
    }

    @Inject
    EntityManager em;

    @Inject
    EventJournal journal;

    @Inject
    AuditLog audit;

    @Inject
    MailTokens tokens;

    @Inject
    Mails mails;

    @Inject
    TrustBlConfig config;

    /**
     * Files an unconfirmed delisting request and mails the confirmation link. Returns false when
     * the mail could not be sent (the request then waits unconfirmed and expires).
     */
    public boolean requestDelisting(IpBlock ip, String email, String message) {
        long id = insert(DELISTING, ip, "delisting request from the sender", "unconfirmed", email, message);
        String token = tokens.issue(MailTokens.CONFIRM_DELISTING, null, id, CONFIRM_WITHIN);
        return mails.sendDelistingConfirmation(email, ip.toString(), base() + "/delisting/confirm?token=" + token);
    }

    /**
     * Files an unconfirmed request to exclude {@code ip} from the listing of {@code block} around
     * it; confirmed by mail like a delisting request. Returns false when the mail could not be sent.
     */
    public boolean requestExclusion(IpBlock ip, IpBlock block, String email, String message) {
        long id = insert(EXCLUSION, ip, "exclude this address from the listing of block " + block
                + " (the block stays listed)", "unconfirmed", email, message);
        String token = tokens.issue(MailTokens.CONFIRM_DELISTING, null, id, CONFIRM_WITHIN);
        return mails.sendDelistingConfirmation(email, ip.toString(), base() + "/delisting/confirm?token=" + token);
    }

    /** The unconfirmed request behind a confirmation link, without using the link. */
    public Optional<Item> peekDelisting(String token) {
        Optional<MailTokens.TokenUse> use = tokens.peek(MailTokens.CONFIRM_DELISTING, token);
        if (use.isEmpty() || use.get().moderationItemId() == null) {
            return Optional.empty();
        }
        return find(use.get().moderationItemId()).filter(i -> "unconfirmed".equals(i.status()));
    }

    /**
     * Requests nobody confirmed within {@link #CONFIRM_WITHIN} go away (their links expired too),
     * with their tokens. Returns how many were removed.
     */
    @Transactional
    public int expireUnconfirmed() {
        Timestamp before = Timestamp.from(Instant.now().minus(CONFIRM_WITHIN));
        em.createNativeQuery("DELETE FROM email_token WHERE moderation_item_id IN (SELECT id FROM moderation_item "
                + "WHERE status = 'unconfirmed' AND created_at < ?1)").setParameter(1, before).executeUpdate();
        return em.createNativeQuery("DELETE FROM moderation_item WHERE status = 'unconfirmed' AND created_at < ?1")
                .setParameter(1, before).executeUpdate();
    }

    @io.quarkus.scheduler.Scheduled(every = "1h", delayed = "60s", concurrentExecution = io.quarkus.scheduler.Scheduled.ConcurrentExecution.SKIP)
    void expireUnconfirmedHourly() {
        expireUnconfirmed();
    }

    /**
     * The requester clicked the link: the request enters the queue, and a sender's delisting
     * request is told to the engine ({@code DelistingRequested}: until a moderator decides, the
     * accounts created near the listing's reporters wait for a moderator on new senders). If the
     * journal cannot take that fact the request stays queued all the same: the moderator's answer
     * is what matters, the early signal only helps.
     */
    public Optional<Item> confirmDelisting(String token) {
        Optional<MailTokens.TokenUse> use = tokens.consume(MailTokens.CONFIRM_DELISTING, token);
        if (use.isEmpty() || use.get().moderationItemId() == null) {
            return Optional.empty();
        }
        Item item = open(use.get().moderationItemId());
        if (DELISTING.equals(item.kind()) && "open".equals(item.status())) {
            try {
                journal.submitAndWait(List.of(new JournalEntry.Fact(new EngineEvent.DelistingRequested(IpBlock.parse(item.ip()), 0))));
            } catch (RuntimeException e) {
                LOG.warnf(e, "delisting request %d for %s is queued, but the engine could not be told of it", item.id(), item.ip());
            }
        }
        return Optional.of(item);
    }

    @Transactional
    Item open(long id) {
        em.createNativeQuery("UPDATE moderation_item SET status = 'open' WHERE id = ?1 AND status = 'unconfirmed'")
                .setParameter(1, id).executeUpdate();
        return find(id).orElseThrow();
    }

    /** A member disputes a listing (no mail round-trip: the member is known). */
    public long dispute(long memberId, String memberEmail, IpBlock ip, String message) {
        long id = insert(DISPUTE, ip, "member " + memberId + " disputes the listing", "open", memberEmail, message);
        audit.record(memberId, "dispute", "ip:" + ip, null);
        return id;
    }

    @Transactional
    long insert(String kind, IpBlock ip, String reason, String status, String email, String message) {
        String m = message == null ? null : message.strip();
        if (m != null && m.length() > MAX_MESSAGE) {
            throw ProblemException.invalid("message", "max-length", "the message may have at most " + MAX_MESSAGE + " characters");
        }
        Object id = em.createNativeQuery("INSERT INTO moderation_item (kind, ip, reason, status, requester_email, message) "
                        + "VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id")
                .setParameter(1, kind).setParameter(2, ip.toString()).setParameter(3, reason).setParameter(4, status)
                .setParameter(5, email).setParameter(6, m == null || m.isEmpty() ? null : m).getSingleResult();
        return ((Number) id).longValue();
    }

    /**
     * Open items, oldest first (what a moderator works through); of several open items of one kind
     * on one address only the oldest, since deciding it decides them all ({@link #decide}): a flood
     * of requests about one listing cannot push the other items off the moderators' page.
     */
    @Transactional
    public List<Item> openItems(int limit) {
        return query("WHERE id IN (SELECT DISTINCT ON (kind, ip) id FROM moderation_item WHERE status = 'open' "
                + "ORDER BY kind, ip, created_at, id) ORDER BY created_at, id LIMIT " + Math.max(1, Math.min(limit, 500)), null);
    }

    /** Recently decided items, newest first. */
    @Transactional
    public List<Item> decided(int limit) {
        return query("WHERE status IN ('upheld', 'rejected') ORDER BY decided_at DESC, id DESC LIMIT "
                + Math.max(1, Math.min(limit, 500)), null);
    }

    /** Open or unconfirmed delisting items for one address (shown on its lookup page). */
    @Transactional
    public List<Item> pendingFor(String ip) {
        return query("WHERE ip = ?1 AND status = 'open' ORDER BY id", ip);
    }

    @Transactional
    public Optional<Item> find(long id) {
        List<Item> l = query("WHERE id = " + id, null);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    private List<Item> query(String where, String param) {
        var q = em.createNativeQuery("SELECT id, kind, ip, reason, status, created_at, decided_at, decided_by, "
                + "requester_email, message FROM moderation_item " + where);
        if (param != null) {
            q.setParameter(1, param);
        }
        List<Item> out = new ArrayList<>();
        for (Object o : q.getResultList()) {
            Object[] r = (Object[]) o;
            out.add(new Item(((Number) r[0]).longValue(), (String) r[1], (String) r[2], (String) r[3], (String) r[4],
                    instant(r[5]), instant(r[6]), r[7] == null ? null : ((Number) r[7]).longValue(), (String) r[8],
                    (String) r[9]));
        }
        return out;
    }

    /**
     * Decides an open item once (a second click or a second moderator gets 409) and tells the
     * engine. If the journal cannot take the fact, the item goes back to open.
     */
    public Item decide(long adminId, long itemId, boolean upheld) {
        Item item = claim(adminId, itemId, upheld);
        boolean delist = item.upholdDelists() == upheld;
        IpBlock ip = IpBlock.parse(item.ip());
        boolean exclusion = EXCLUSION.equals(item.kind());
        // a hold turned down listed nothing: the engine strikes nobody for it (HoldDismissed), unless
        // the address is listed all the same, which the engine judges when the fact is applied
        boolean dismissal = HOLD.equals(item.kind()) && !upheld;
        EngineEvent fact = exclusion ? new EngineEvent.AddressExcluded(ip, 0)
                : dismissal ? new EngineEvent.HoldDismissed(ip, 0) : new EngineEvent.DelistingDecided(ip, delist, 0);
        if (!exclusion || upheld) { // a refused exclusion changes nothing the engine knows
            try {
                journal.submitAndWait(List.of(new JournalEntry.Fact(fact)));
            } catch (RuntimeException e) {
                reopen(itemId);
                throw e;
            }
        }
        List<Item> siblings = closeSiblings(item, adminId, upheld);
        String outcome = exclusion ? (upheld ? " (excluded, the block stays listed)" : " (stays inside the block listing)")
                : dismissal ? " (hold dismissed: not listed, nobody struck; delisted and reporters struck if it was listed;"
                        + " what would list it next comes here first)"
                : delist ? " (delisted, reporters struck)" : " (evidence stands)";
        audit.record(adminId, upheld ? "moderation-uphold" : "moderation-reject", "moderation:" + itemId,
                item.kind() + " " + item.ip() + outcome
                        + (siblings.isEmpty() ? "" : "; decided with it: " + siblings.stream().map(i -> "#" + i.id()).toList()));
        List<Item> answered = new ArrayList<>(siblings);
        answered.add(0, item);
        for (Item i : answered) {
            if ((DELISTING.equals(i.kind()) || EXCLUSION.equals(i.kind())) && i.requesterEmail() != null) {
                mails.sendDelistingOutcome(i.requesterEmail(), i.ip(), upheld, base() + "/lookup/" + i.ip());
            }
        }
        return find(itemId).orElseThrow();
    }

    @Transactional
    Item claim(long adminId, long itemId, boolean upheld) {
        int n = em.createNativeQuery("UPDATE moderation_item SET status = ?1, decided_at = now(), decided_by = ?2 "
                        + "WHERE id = ?3 AND status = 'open'")
                .setParameter(1, upheld ? "upheld" : "rejected").setParameter(2, adminId).setParameter(3, itemId)
                .executeUpdate();
        if (n == 0) {
            if (find(itemId).isEmpty()) {
                throw ProblemException.notFound("no moderation item " + itemId);
            }
            throw ProblemException.conflict("status", "this item was already decided");
        }
        return find(itemId).orElseThrow();
    }

    /**
     * The other open requests and disputes about the same listing (exclusion requests: about the
     * same address) are answered by this decision and closed with it. Left open, a later "rejected"
     * on a stale duplicate would tell the engine the listing was right after a moderator had just
     * found it wrong and delisted it (and anyone can file a duplicate).
     */
    @Transactional
    List<Item> closeSiblings(Item decided, long adminId, boolean upheld) {
        String kinds = EXCLUSION.equals(decided.kind()) ? "'" + EXCLUSION + "'"
                : DELISTING.equals(decided.kind()) || DISPUTE.equals(decided.kind()) ? "'" + DELISTING + "', '" + DISPUTE + "'"
                : null;
        if (kinds == null) {
            return List.of();
        }
        List<Item> open = query("WHERE ip = ?1 AND status = 'open' AND kind IN (" + kinds + ") AND id <> " + decided.id()
                + " ORDER BY id", decided.ip());
        List<Item> closed = new ArrayList<>(open.size());
        for (Item i : open) {
            int n = em.createNativeQuery("UPDATE moderation_item SET status = ?1, decided_at = now(), decided_by = ?2 "
                            + "WHERE id = ?3 AND status = 'open'")
                    .setParameter(1, upheld ? "upheld" : "rejected").setParameter(2, adminId).setParameter(3, i.id())
                    .executeUpdate();
            if (n == 1) {
                closed.add(i);
            }
        }
        return closed;
    }

    @Transactional
    void reopen(long itemId) {
        em.createNativeQuery("UPDATE moderation_item SET status = 'open', decided_at = NULL, decided_by = NULL WHERE id = ?1")
                .setParameter(1, itemId).executeUpdate();
    }

    private String base() {
        String u = config.publicUrl();
        return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }

    static Instant instant(Object o) {
        return SqlTimes.toInstant(o);
    }
}
