package net.trustbl.member;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** Account columns the web pages change and the REST API does not: email confirmation, password hash. */
@ApplicationScoped
public class AccountStore {

    @Inject
    EntityManager em;

    @Transactional
    public void confirmEmail(long memberId) {
        em.createNativeQuery("UPDATE member SET email_confirmed = true WHERE id = ?1").setParameter(1, memberId).executeUpdate();
    }

    @Transactional
    public void setPasswordHash(long memberId, String passwordHash) {
        em.createNativeQuery("UPDATE member SET password_hash = ?1 WHERE id = ?2")
                .setParameter(1, passwordHash).setParameter(2, memberId).executeUpdate();
    }
}
