package net.trustbl.mail;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import net.trustbl.common.TrustBlConfig;
import net.trustbl.report.ImpactService;
import net.trustbl.common.WebSecret;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * The weekly impact mail: what each member's reports did for the others this week. Sent to
 * active, confirmed members who have not opted out, at most once a week each: a (member, week) row
 * is inserted before sending, so a restart or a second instance never sends twice.
 */
@ApplicationScoped
public class WeeklyImpactJob {

    private static final Logger LOG = Logger.getLogger(WeeklyImpactJob.class);

    @Inject
    EntityManager em;

    @Inject
    ImpactService impacts;

    @Inject
    Mails mails;

    @Inject
    WebSecret secret;

    @Inject
    TrustBlConfig config;

    /**
     * Injected so that Quarkus keeps the mapping, and with it the default of
     * {@code trustbl.mail.weekly-cron} that the {@code @Scheduled} expression below reads: an
     * unused mapping is dropped at build time, and the service would not start without the key.
     */
    @Inject
    MailConfig mail;

    @Scheduled(cron = "{trustbl.mail.weekly-cron}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void weekly() {
        int sent = sendAll();
        LOG.infof("weekly impact mail (%s) sent to %d members", mail.weeklyCron(), sent);
    }

    /** Sends to every member due; returns how many mails went out. */
    public int sendAll() {
        int sent = 0;
        for (Object o : due()) {
            Object[] r = (Object[]) o;
            if (sendTo(((Number) r[0]).longValue(), (String) r[1])) {
                sent++;
            }
        }
        return sent;
    }

    @Transactional
    List<?> due() {
        return em.createNativeQuery("SELECT m.id, m.email FROM member m LEFT JOIN mail_preference p ON p.member_id = m.id "
                + "WHERE m.status = 'active' AND m.email_confirmed AND coalesce(p.weekly_report, true) "
                + "AND (p.last_weekly_sent IS NULL OR p.last_weekly_sent < now() - interval '6 days') "
                + "AND NOT EXISTS (SELECT 1 FROM weekly_mail_sent w WHERE w.member_id = m.id "
                + "AND w.week = date_trunc('week', now() AT TIME ZONE 'UTC')::date) ORDER BY m.id LIMIT 100000")
                .getResultList();
    }

    /**
     * One member's mail (also used by tests). At most once per member and week across all
     * instances: the (member, week) row is inserted first and only the instance whose insert wins
     * sends; a failed send gives the row back so that the next run retries.
     */
    public boolean sendTo(long memberId, String email) {
        if (!claimWeek(memberId)) {
            return false;
        }
        boolean ok;
        try {
            ok = send(memberId, email);
        } catch (RuntimeException e) {
            releaseWeek(memberId);
            throw e;
        }
        if (!ok) {
            releaseWeek(memberId);
        }
        return ok;
    }

    @Transactional
    boolean claimWeek(long memberId) {
        return em.createNativeQuery("INSERT INTO weekly_mail_sent (member_id, week) "
                + "VALUES (?1, date_trunc('week', now() AT TIME ZONE 'UTC')::date) ON CONFLICT DO NOTHING")
                .setParameter(1, memberId).executeUpdate() == 1;
    }

    @Transactional
    void releaseWeek(long memberId) {
        em.createNativeQuery("DELETE FROM weekly_mail_sent WHERE member_id = ?1 "
                + "AND week = date_trunc('week', now() AT TIME ZONE 'UTC')::date").setParameter(1, memberId).executeUpdate();
    }

    private boolean send(long memberId, String email) {
        String base = config.publicUrl().endsWith("/") ? config.publicUrl().substring(0, config.publicUrl().length() - 1)
                : config.publicUrl();
        boolean ok = mails.sendWeeklyImpact(email, impacts.impact(memberId), base + "/dashboard",
                UnsubscribeLinks.link(secret, base, memberId));
        if (ok) {
            markSent(memberId);
        }
        return ok;
    }

    @Transactional
    void markSent(long memberId) {
        em.createNativeQuery("INSERT INTO mail_preference (member_id, last_weekly_sent) VALUES (?1, now()) "
                + "ON CONFLICT (member_id) DO UPDATE SET last_weekly_sent = now()").setParameter(1, memberId).executeUpdate();
    }
}
