package net.trustbl.ui;

/**
 * What the page frame needs: who is logged in, the CSRF token for forms, the DNS zone, which
 * menu entry is active, and who runs this site ({@code contactLink}: mailto: or a URL, null when
 * not configured).
 */
public record Nav(boolean loggedIn, boolean admin, String email, String csrf, String zone, String active,
                  String operator, String contact, String contactLink) {

    public boolean on(String name) {
        return name.equals(active);
    }
}
