package net.trustbl.admin;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import net.trustbl.common.AuditLog;
import net.trustbl.common.ProblemException;
import net.trustbl.common.Secrets;
import net.trustbl.common.TrustBlConfig;
import net.trustbl.member.Member;
import net.trustbl.member.MemberService;
import org.jboss.logging.Logger;

/**
 * The first admin. There is never a default password: either the operator passes
 * TRUSTBL_ADMIN_EMAIL and TRUSTBL_ADMIN_PASSWORD at first start, or a one-time setup link is
 * printed to the log and whoever holds it creates the admin.
 */
@ApplicationScoped
public class AdminBootstrap {

    private static final Logger LOG = Logger.getLogger(AdminBootstrap.class);

    @Inject
    TrustBlConfig config;

    @Inject
    MemberService members;

    @Inject
    EntityManager em;

    @Inject
    AuditLog audit;

    @Inject
    net.trustbl.journal.EventJournal journal;

    void onStart(@Observes @Priority(20) StartupEvent ev) {
        if (!journal.isWriter()) {
            LOG.info("standby replica: the journal writer creates the first admin");
            return;
        }
        if (adminExists()) {
            return;
        }
        if (config.admin().email().isPresent() && config.admin().password().isPresent()
                && !memberExists(config.admin().email().get())) { // a suspended one stays suspended: the setup link below
            Member admin = members.register(config.admin().email().get(), config.admin().password().get(), Member.ROLE_ADMIN);
            audit.record(null, "bootstrap-admin", "member:" + admin.id, "from TRUSTBL_ADMIN_EMAIL");
            LOG.infof("Created the first admin %s", admin.email);
            return;
        }
        String token = newSetupToken();
        LOG.warnf("No admin exists yet. Create one within 24 h with this one-time link: %s/setup?token=%s "
                + "(or: curl -X POST %s/api/v1/setup -H 'Content-Type: application/json' "
                + "-d '{\"token\":\"%s\",\"email\":\"…\",\"password\":\"…\"}')",
                config.publicUrl(), token, config.publicUrl(), token);
    }

    @Transactional
    boolean memberExists(String email) {
        // the mailbox, not the spelling: registering it would be refused as a duplicate
        return Member.count("emailCanonical", net.trustbl.common.Mailboxes.canonical(email)) > 0;
    }

    @Transactional
    boolean adminExists() {
        // only an active one can act: a service whose admins are all suspended offers the setup link again
        return Member.activeAdmins() > 0;
    }

    @Transactional
    String newSetupToken() {
        String token = Secrets.newToken();
        em.createNativeQuery("INSERT INTO setup_token (token_hash) VALUES (?1)")
                .setParameter(1, Secrets.sha256Hex(token)).executeUpdate();
        return token;
    }

    /** Uses a setup token once to create the first admin. */
    public Member completeSetup(String token, String email, String password) {
        // a typo must not use up the one link: check the input before the token
        MemberService.validateEmail(email);
        MemberService.validatePassword(password);
        if (token == null || !consumeToken(token)) {
            throw ProblemException.forbidden("the setup link is unknown, used or expired");
        }
        Member admin;
        try {
            admin = members.register(email, password, Member.ROLE_ADMIN);
        } catch (RuntimeException e) {
            releaseToken(token); // nothing was created: the link still works
            throw e;
        }
        audit.record(admin.id, "bootstrap-admin", "member:" + admin.id, "via setup link");
        return admin;
    }

    @Transactional
    void releaseToken(String token) {
        em.createNativeQuery("UPDATE setup_token SET used_at = NULL WHERE token_hash = ?1")
                .setParameter(1, Secrets.sha256Hex(token)).executeUpdate();
    }

    @Transactional
    boolean consumeToken(String token) {
        if (adminExists()) {
            return false;
        }
        int n = em.createNativeQuery("UPDATE setup_token SET used_at = now() WHERE token_hash = ?1 "
                        + "AND used_at IS NULL AND created_at > now() - interval '24 hours'")
                .setParameter(1, Secrets.sha256Hex(token)).executeUpdate();
        return n == 1;
    }
}
