package net.trustbl.member;

/** The authenticated member behind a request. {@code keyId} is null for password logins. */
public record Caller(long memberId, Long keyId, String role, String email) {

    public boolean isAdmin() {
        return Member.ROLE_ADMIN.equals(role);
    }
}
