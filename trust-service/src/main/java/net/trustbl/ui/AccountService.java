package net.trustbl.ui;

import io.quarkus.elytron.security.common.BcryptUtil;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import net.trustbl.common.ProblemException;
import net.trustbl.member.AccountStanding;
import net.trustbl.member.Member;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Account changes the web pages make that the REST API does not: confirmation, password, mail settings. */
@ApplicationScoped
public class AccountService {

    static final int MIN_PASSWORD = 10;
    static final int MAX_PASSWORD = 200;

    @Inject
    EntityManager em;

    @Inject
    AccountStanding standing;

    @Transactional
    public Optional<Member> byEmail(String email) {
        if (email == null || email.length() > 254) {
            return Optional.empty();
        }
        return Member.find("email", email.trim().toLowerCase(Locale.ROOT)).firstResultOptional();
    }

    @Transactional
    public Member byId(long id) {
        return Member.findById(id);
    }

    @Transactional
    public void confirmEmail(long memberId) {
        em.createNativeQuery("UPDATE member SET email_confirmed = true WHERE id = ?1").setParameter(1, memberId).executeUpdate();
        standing.evict(memberId); // its next report weighs
    }

    @Transactional
    public void setPassword(long memberId, String password) {
        if (password == null || password.length() < MIN_PASSWORD) {
            throw ProblemException.invalid("password", "min-length", "the password must have at least " + MIN_PASSWORD + " characters");
        }
        if (password.length() > MAX_PASSWORD) {
            throw ProblemException.invalid("password", "max-length", "the password may have at most " + MAX_PASSWORD + " characters");
        }
        em.createNativeQuery("UPDATE member SET password_hash = ?1 WHERE id = ?2")
                .setParameter(1, BcryptUtil.bcryptHash(password)).setParameter(2, memberId).executeUpdate();
    }

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
