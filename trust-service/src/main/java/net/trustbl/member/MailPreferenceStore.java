package net.trustbl.member;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.util.List;

/**
 * A member's mail settings (mail_preference); without a row the weekly report is on. An account
 * setting, so it sits in member (its only user, AccountService): mail's weekly job reads the
 * table itself, and member needing mail would close the cycle member -> mail -> report -> member.
 */
@ApplicationScoped
public class MailPreferenceStore {

    @Inject
    EntityManager em;

    @Transactional
    public boolean weeklyReport(long memberId) {
        List<?> r = em.createNativeQuery("SELECT weekly_report FROM mail_preference WHERE member_id = ?1")
                .setParameter(1, memberId).getResultList();
        return r.isEmpty() || Boolean.TRUE.equals(r.get(0));
    }

    @Transactional
    public void setWeeklyReport(long memberId, boolean on) {
        em.createNativeQuery("INSERT INTO mail_preference (member_id, weekly_report) VALUES (?1, ?2) "
                        + "ON CONFLICT (member_id) DO UPDATE SET weekly_report = EXCLUDED.weekly_report")
                .setParameter(1, memberId).setParameter(2, on).executeUpdate();
    }
}
