package net.trustbl.member;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A registered member: reports with its API keys, queries the DNSBL with its query key. */
@Entity
@Table(name = "member")
public class Member extends PanacheEntityBase {

    public static final String ROLE_MEMBER = "member";
    public static final String ROLE_ADMIN = "admin";
    public static final String STATUS_ACTIVE = "active";
    public static final String STATUS_SUSPENDED = "suspended";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** As the member typed it, lower-cased: login and password reset look it up as typed. */
    @Column(nullable = false, unique = true)
    public String email;

    /** {@link net.trustbl.common.Mailboxes#canonical}: one account per mailbox (checked at registration). */
    @Column(name = "email_canonical", nullable = false)
    public String emailCanonical;

    @Column(name = "password_hash", nullable = false)
    public String passwordHash;

    @Column(nullable = false)
    public String role = ROLE_MEMBER;

    @Column(nullable = false)
    public String status = STATUS_ACTIVE;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(nullable = false)
    public double trust;

    @Column(name = "trust_pinned", nullable = false)
    public boolean trustPinned;

    @Column(nullable = false)
    public int strikes;

    @Column(name = "query_key", nullable = false, unique = true)
    public String queryKey;

    @Column(name = "report_alias", nullable = false, unique = true)
    public String reportAlias;

    @Column(name = "email_confirmed", nullable = false)
    public boolean emailConfirmed;

    public boolean isAdmin() {
        return ROLE_ADMIN.equals(role);
    }

    /** Administrators who are not suspended: the ones who can act (at least one must stay). */
    public static long activeAdmins() {
        return count("role = ?1 and status = ?2", ROLE_ADMIN, STATUS_ACTIVE);
    }

    public boolean isActive() {
        return STATUS_ACTIVE.equals(status);
    }
}
