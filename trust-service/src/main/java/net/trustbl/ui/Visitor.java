package net.trustbl.ui;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import net.trustbl.common.WebSecret;
import net.trustbl.cluster.ClientAddress;
import net.trustbl.common.ClientPrefix;
import net.trustbl.common.Secrets;
import net.trustbl.common.TrustBlConfig;
import net.trustbl.responder.DnsSettings;
import net.trustbl.ui.SessionService.WebUser;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whoever sends the current page request: the logged-in member (from the session cookie) or an
 * anonymous visitor, with the CSRF token for the forms of this page and the cookies to set.
 *
 * CSRF: the token is an HMAC of the session token (or, before login, of a random "anon" cookie)
 * under the server key, so it is per session, needs no storage, and a page on another site can
 * neither read nor compute it. Every POST handler calls {@link #checkCsrf}.
 */
@RequestScoped
public class Visitor {

    public static final String SESSION_COOKIE = "tbl_session";
    public static final String ANON_COOKIE = "tbl_anon";
    /**
     * Set at a successful login: this browser has logged into the account (signed, so it cannot be
     * made up). The per-account login limit does not apply to it, so that strangers who guess at an
     * account's password lock out only the strangers, not its owner.
     */
    static final String DEVICE_COOKIE = "tbl_device";
    private static final long DEVICE_COOKIE_SECONDS = 400L * 24 * 3600;

    @Inject
    HttpServerRequest request;

    @Inject
    io.vertx.ext.web.RoutingContext routing;

    @Inject
    SessionService sessions;

    @Inject
    WebSecret secret;

    @Inject
    TrustBlConfig config;

    @Inject
    WebConfig web;

    @Inject
    ClientAddress clientAddress;

    @Inject
    DnsSettings dns;

    private boolean resolved;
    private WebUser user;
    private String sessionToken;
    private String anonToken;
    private final List<String> setCookies = new ArrayList<>();

    public Optional<WebUser> user() {
        resolve();
        return Optional.ofNullable(user);
    }

    /** The logged-in member, or a redirect to the login page that comes back here. */
    public WebUser requireUser() {
        resolve();
        if (user == null) {
            String back = request.path();
            String query = request.query();
            if (query != null && !query.isEmpty() && query.length() < 500) {
                back += "?" + query;
            }
            throw PageException.redirect("/login?next=" + java.net.URLEncoder.encode(back, java.nio.charset.StandardCharsets.UTF_8));
        }
        return user;
    }

    public WebUser requireAdmin() {
        WebUser u = requireUser();
        if (!u.isAdmin()) {
            throw new PageException(403, "Admins only", "This page is for TrustBL administrators.");
        }
        return u;
    }

    /** The CSRF token for forms on this page. */
    public String csrf() {
        resolve();
        if (sessionToken != null && user != null) {
            return secret.sign("csrf:s:" + sessionToken);
        }
        if (anonToken == null) {
            Cookie c = request.getCookie(ANON_COOKIE);
            anonToken = c == null || c.getValue().length() > 100 || c.getValue().isEmpty() ? null : c.getValue();
            if (anonToken == null) {
                anonToken = Secrets.newToken();
                setCookies.add(cookie(ANON_COOKIE, anonToken, -1));
            }
        }
        return secret.sign("csrf:a:" + anonToken);
    }

    /** Rejects a state-changing request whose form token does not belong to this visitor. */
    public void checkCsrf(String token) {
        resolve();
        boolean ok;
        if (sessionToken != null && user != null) {
            ok = secret.verify("csrf:s:" + sessionToken, token);
        } else {
            Cookie c = request.getCookie(ANON_COOKIE);
            ok = c != null && !c.getValue().isEmpty() && c.getValue().length() <= 100
                    && secret.verify("csrf:a:" + c.getValue(), token);
        }
        if (!ok) {
            throw new PageException(403, "Form expired",
                    "This form was not sent from a page of this site, or your session changed. Go back, reload the page and try again.");
        }
    }

    /** Starts a fresh session (a new token: no session fixation) and drops the old one. */
    public void login(long memberId) {
        resolve();
        if (sessionToken != null) {
            sessions.close(sessionToken);
        }
        sessionToken = sessions.open(memberId);
        user = sessions.find(sessionToken).orElse(null);
        setCookies.add(cookie(SESSION_COOKIE, sessionToken, sessions.lifetime().toSeconds()));
    }

    /**
     * Whether this browser logged into the member's account before, with the password it has now:
     * the cookie is signed over the member, the day it was set and the password's hash, so it is
     * worth nothing for another account, after a password change, or after 400 days.
     */
    public boolean knownDevice(long memberId, String passwordHash) {
        Cookie c = request.getCookie(DEVICE_COOKIE);
        if (c == null || c.getValue().isEmpty() || c.getValue().length() > 200) {
            return false;
        }
        String v = c.getValue();
        int dot = v.indexOf('.');
        long day;
        try {
            day = Long.parseLong(v.substring(0, Math.max(0, dot)));
        } catch (NumberFormatException e) {
            return false;
        }
        long today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toEpochDay();
        return today - day >= 0 && (today - day) * 86_400 < DEVICE_COOKIE_SECONDS
                && secret.verify(deviceData(memberId, day, passwordHash), v.substring(dot + 1));
    }

    /** Remembers that this browser logged into the member's account (see {@link #knownDevice}). */
    public void rememberDevice(long memberId, String passwordHash) {
        long today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toEpochDay();
        setCookies.add(cookie(DEVICE_COOKIE, today + "." + secret.sign(deviceData(memberId, today, passwordHash)),
                DEVICE_COOKIE_SECONDS));
    }

    private static String deviceData(long memberId, long day, String passwordHash) {
        return "device:" + memberId + ":" + day + ":" + passwordHash;
    }

    public void logout() {
        resolve();
        if (sessionToken != null) {
            sessions.close(sessionToken);
        }
        sessionToken = null;
        user = null;
        setCookies.add(cookie(SESSION_COOKIE, "", 0));
    }

    /**
     * The client's address: what Quarkus resolved for this request, or what a standby replica
     * stated (signed) when it forwarded the request ({@link ClientAddress}). Behind a TLS proxy that
     * is the proxy's address unless quarkus.http.proxy.proxy-address-forwarding (with
     * allow-x-forwarded or Forwarded, and trusted-proxies) is on; then Quarkus takes it from the
     * proxy's header, and only from trusted proxies. Headers are never parsed here.
     */
    public String clientAddress() {
        return clientAddress.of(routing.request());
    }

    /** The key per-client limits count under: the IPv4 address, or the IPv6 /64 ({@link ClientPrefix}). */
    public String clientIp() {
        return ClientPrefix.client(clientAddress());
    }

    /** The primary DNSBL zone (the first of {@code trustbl.dns.zone}, which may list aliases). */
    public String zone() {
        return dns.primaryZone();
    }

    public String publicUrl() {
        String u = config.publicUrl();
        return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }

    /** Navigation data every page template gets. */
    public Nav nav(String active) {
        resolve();
        return new Nav(user != null, user != null && user.isAdmin(), user == null ? null : user.email(), csrf(), zone(), active,
                web.operator().name(), contact(), contactLink());
    }

    /** A frame for error pages that must not touch the session. */
    Nav anonymousNav() {
        return new Nav(false, false, null, "", zone(), "", web.operator().name(), contact(), contactLink());
    }

    String contact() {
        return web.operator().contact().map(String::trim).filter(c -> !c.isEmpty()).orElse(null);
    }

    /** mailto: for an address, the URL itself for http(s); anything else is shown as text only. */
    String contactLink() {
        String c = contact();
        if (c == null) {
            return null;
        }
        if (c.matches("[^@\\s<>\"]+@[^@\\s<>\"]+")) {
            return "mailto:" + c;
        }
        return c.startsWith("https://") || c.startsWith("http://") ? c : null;
    }

    List<String> pendingCookies() {
        return setCookies;
    }

    private void resolve() {
        if (resolved) {
            return;
        }
        resolved = true;
        Cookie c = request.getCookie(SESSION_COOKIE);
        if (c != null && !c.getValue().isEmpty()) {
            sessionToken = c.getValue();
            user = sessions.find(sessionToken).orElse(null);
            if (user == null) {
                sessionToken = null;
            }
        }
    }

    private String cookie(String name, String value, long maxAgeSeconds) {
        StringBuilder b = new StringBuilder(name).append('=').append(value).append("; Path=/; HttpOnly; SameSite=Lax");
        if (maxAgeSeconds >= 0) {
            b.append("; Max-Age=").append(maxAgeSeconds);
        }
        // https as configured, or as the request came: behind a TLS proxy whose forwarded headers
        // the operator trusts (quarkus.http.proxy.*) the scheme is the proxy's, even when
        // trustbl.public-url was left at its http default
        if (config.publicUrl().startsWith("https:") || "https".equalsIgnoreCase(request.scheme())) {
            b.append("; Secure");
        }
        return b.toString();
    }
}
