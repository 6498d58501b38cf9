package net.trustbl.mail;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import net.trustbl.common.TrustBlConfig;
import net.trustbl.ui.AccountPages;
import net.trustbl.ui.DashboardService;
import net.trustbl.ui.WebSecret;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * The weekly impact mail: what each member's reports did for the others this week. Sent to
 * active, confirmed members who have not opted out, at most once in six days each (a restart or a
 * second instance never sends twice).
 */
@ApplicationScoped
public class WeeklyImpactJob {

    private static final Logger LOG = Logger.getLogger(WeeklyImpactJob.class);

    @Inject
    EntityManager em;

    @Inject
    DashboardService dashboard;

    @Inject
    Mails mails;

    @Inject
    WebSecret secret;

    @Inject
    TrustBlConfig config;

    @Scheduled(cron = "{trustbl.mail.weekly-cron}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void weekly() {
        int sent = sendAll();
        LOG.infof("weekly impact mail sent to %d members", sent);
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
                + "AND (p.last_weekly_sent IS NULL OR p.last_weekly_sent < now() - interval '6 days') ORDER BY m.id LIMIT 100000")
                .getResultList();
    }

    /** One member's mail (also used by tests). */
    public boolean sendTo(long memberId, String email) {
        String base = config.publicUrl().endsWith("/") ? config.publicUrl().substring(0, config.publicUrl().length() - 1)
                : config.publicUrl();
        boolean ok = mails.sendWeeklyImpact(email, dashboard.impact(memberId), base + "/dashboard",
                AccountPages.unsubscribeLink(secret, base, memberId));
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
