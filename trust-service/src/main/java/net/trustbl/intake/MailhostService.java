package net.trustbl.intake;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import net.trustbl.common.ProblemException;
import net.trustbl.evidence.Mailhosts;

import java.util.Arrays;
import java.util.List;

/** The servers that receive a member's mail: the Received walk trusts these hops. */
@ApplicationScoped
public class MailhostService {

    @Inject
    EntityManager em;

    @Transactional
    public List<String> get(long memberId) {
        List<?> rows = em.createNativeQuery("SELECT hosts FROM member_mailhosts WHERE member_id = ?1")
                .setParameter(1, memberId).getResultList();
        if (rows.isEmpty() || rows.get(0) == null || ((String) rows.get(0)).isBlank()) {
            return List.of();
        }
        return Arrays.stream(((String) rows.get(0)).split("\n")).filter(s -> !s.isBlank()).toList();
    }

    public Mailhosts mailhosts(long memberId) {
        List<String> hosts = get(memberId);
        return hosts.isEmpty() ? Mailhosts.none() : Mailhosts.parse(hosts);
    }

    /** Validates every entry (host name, address or CIDR) and replaces the member's list. */
    @Transactional
    public List<String> put(long memberId, List<String> hosts) {
        List<String> clean = hosts == null ? List.of() : hosts.stream().filter(h -> h != null && !h.isBlank())
                .map(String::trim).distinct().toList();
        try {
            Mailhosts.parse(clean);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("hosts", "format", e.getMessage());
        }
        em.createNativeQuery("INSERT INTO member_mailhosts (member_id, hosts, updated_at) VALUES (?1, ?2, now()) "
                        + "ON CONFLICT (member_id) DO UPDATE SET hosts = EXCLUDED.hosts, updated_at = now()")
                .setParameter(1, memberId).setParameter(2, String.join("\n", clean)).executeUpdate();
        return clean;
    }
}
