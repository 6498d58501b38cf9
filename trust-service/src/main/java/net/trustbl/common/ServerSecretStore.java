package net.trustbl.common;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.util.List;

/** Named server secrets (web_secret), created once and shared by every instance. */
@ApplicationScoped
public class ServerSecretStore {

    @Inject
    EntityManager em;

    /** The secret of this name; the first caller's {@code candidate} becomes it when there is none yet. */
    @Transactional
    public String getOrCreate(String name, String candidate) {
        em.createNativeQuery("INSERT INTO web_secret (name, value) VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING")
                .setParameter(1, name).setParameter(2, candidate).executeUpdate();
        List<?> rows = em.createNativeQuery("SELECT value FROM web_secret WHERE name = ?1").setParameter(1, name).getResultList();
        return (String) rows.get(0);
    }
}
