package net.trustbl.member;

import io.quarkus.elytron.security.common.BcryptUtil;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.util.Locale;
import java.util.Optional;

/** Account changes the web pages make that the REST API does not: confirmation, password, mail settings. */
@ApplicationScoped
public class AccountService {

    @Inject
    AccountStore accounts;

    @Inject
    MailPreferenceStore mailPreferences;

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
        accounts.confirmEmail(memberId);
        standing.evict(memberId); // its next report weighs
    }

    @Transactional
    public void setPassword(long memberId, String password) {
        MemberService.validatePassword(password); // the registration API's rule
        accounts.setPasswordHash(memberId, BcryptUtil.bcryptHash(password));
    }

    @Transactional
    public boolean weeklyReport(long memberId) {
        return mailPreferences.weeklyReport(memberId);
    }

    @Transactional
    public void setWeeklyReport(long memberId, boolean on) {
        mailPreferences.setWeeklyReport(memberId, on);
    }
}
