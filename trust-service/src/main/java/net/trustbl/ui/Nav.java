package net.trustbl.ui;

/**
 * What the page frame needs: who is logged in, the CSRF token for forms, the DNS zone, and which
 * menu entry is active.
 */
public record Nav(boolean loggedIn, boolean admin, String email, String csrf, String zone, String active) {

    public boolean on(String name) {
        return name.equals(active);
    }
}
