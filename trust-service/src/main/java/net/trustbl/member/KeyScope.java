package net.trustbl.member;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a machine key may do. A full key (no scope) acts as its member on every route; a scoped
 * key, which only administrators create, works on the one machine route named here and gets 403
 * everywhere else, so a leaked responder or gateway key cannot report, read accounts or act as an
 * admin.
 */
public enum KeyScope {
    /** {@code POST /api/v1/traffic}: lookup counts from standalone DNS responders. */
    TRAFFIC("traffic", "POST /api/v1/traffic"),
    /** {@code /api/v1/intake/…}: the intake-mode gateway files mailed reports for members. */
    INTAKE("intake", "GET /api/v1/intake/aliases/{alias}, POST /api/v1/intake/raw/{alias}"),
    /** {@code POST /api/v1/trap-hits} as the operator's own trap network (full weight). */
    TRAP_FEED("trap-feed", "POST /api/v1/trap-hits");

    private final String wireName;
    private final String routes;

    KeyScope(String wireName, String routes) {
        this.wireName = wireName;
        this.routes = routes;
    }

    /** The name in the API, the database and the docs ({@code trap-feed}). */
    public String wireName() {
        return wireName;
    }

    /** The routes this scope opens, for error messages. */
    public String routes() {
        return routes;
    }

    public static Optional<KeyScope> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(s -> s.wireName.equals(n)).findFirst();
    }

    /** The scope stored in a key row; null for a full member key. */
    static KeyScope fromColumn(String column) {
        return column == null ? null : parse(column).orElseThrow(
                () -> new IllegalStateException("unknown key scope in the database: " + column));
    }

    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(KeyScope::wireName).toList());
    }
}
