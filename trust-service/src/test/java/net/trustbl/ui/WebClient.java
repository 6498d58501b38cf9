package net.trustbl.ui;

import net.trustbl.member.AccountService;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;

/** A browser-like client for page tests: keeps cookies, reads CSRF tokens from forms, never follows redirects. */
final class WebClient {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    final Map<String, String> cookies = new HashMap<>();

    /** Sent with every request (e.g. X-Forwarded-For, as a reverse proxy would add it). */
    final Map<String, String> headers = new HashMap<>();

    Response get(String path) {
        Response r = given().redirects().follow(false).headers(headers).cookies(cookies).get(path);
        remember(r);
        return r;
    }

    Response post(String path, Map<String, String> form) {
        Response r = given().redirects().follow(false).headers(headers).cookies(cookies).contentType(ContentType.URLENC)
                .formParams(form).post(path);
        remember(r);
        return r;
    }

    /** The CSRF token from the forms of a page. */
    String csrf(String page) {
        Response r = get(page);
        Matcher m = CSRF.matcher(r.asString());
        if (!m.find()) {
            throw new AssertionError("no CSRF token on " + page + " (status " + r.statusCode() + ")");
        }
        return m.group(1);
    }

    /** Opens {@code page}, fills in its CSRF token, posts {@code form} to {@code action}. */
    Response submit(String page, String action, Map<String, String> form) {
        Map<String, String> f = new LinkedHashMap<>(form);
        f.put("csrf", csrf(page));
        return post(action, f);
    }

    /**
     * Opens a confirmation link from a mail and presses its button, as its recipient would (the
     * link itself only shows the button). Returns the page of the link when it has no button.
     */
    Response confirm(String link) {
        Response page = get(link);
        Matcher m = CSRF.matcher(page.asString());
        if (page.statusCode() != 200 || !m.find()) {
            return page;
        }
        int q = link.indexOf('?');
        String token = link.substring(link.indexOf("token=") + "token=".length());
        return post(link.substring(0, q), Map.of("csrf", m.group(1), "token", java.net.URLDecoder.decode(token,
                java.nio.charset.StandardCharsets.UTF_8)));
    }

    Response login(String email, String password) {
        return submit("/login", "/login", Map.of("email", email, "password", password));
    }

    /** A member made through the API whose address is confirmed, logged in on a fresh client. */
    static WebClient loggedIn(AccountService accounts, net.trustbl.support.Api.Member m) {
        accounts.confirmEmail(m.id());
        WebClient c = new WebClient();
        Response r = c.login(m.email(), m.password());
        if (r.statusCode() != 303) {
            throw new AssertionError("login failed with " + r.statusCode() + ": " + r.asString());
        }
        return c;
    }

    private void remember(Response r) {
        r.getCookies().forEach((k, v) -> {
            if (v == null || v.isEmpty()) {
                cookies.remove(k);
            } else {
                cookies.put(k, v);
            }
        });
    }
}
