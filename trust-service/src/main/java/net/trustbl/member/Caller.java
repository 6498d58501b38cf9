package net.trustbl.member;

/**
 * The authenticated member behind a request. {@code keyId} is null for password logins;
 * {@code scope} is set for a machine key, which never acts with its owner's member or admin rights.
 */
public record Caller(long memberId, Long keyId, String role, String email, KeyScope scope) {

    /** A password login or a full member key. */
    public Caller(long memberId, Long keyId, String role, String email) {
        this(memberId, keyId, role, email, null);
    }

    /** Admin rights need an admin's full key: an admin-made scoped key is not an admin. */
    public boolean isAdmin() {
        return scope == null && Member.ROLE_ADMIN.equals(role);
    }

    public boolean isScoped() {
        return scope != null;
    }
}
