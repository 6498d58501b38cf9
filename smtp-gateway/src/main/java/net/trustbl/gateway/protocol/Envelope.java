package net.trustbl.gateway.protocol;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Strict parsing of MAIL FROM / RCPT TO (RFC 5321 4.1.2): "FROM:<path>" with no space after the
 * colon, no source routes, dot-atom or quoted local part, a domain name or address literal.
 */
public final class Envelope {

    private static final Pattern MAIL = Pattern.compile("(?i)MAIL FROM:<([^<>]*)>( .*)?");
    private static final Pattern RCPT = Pattern.compile("(?i)RCPT TO:<([^<>]*)>( .*)?");
    private static final Pattern ATOM_LOCAL = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern QUOTED_LOCAL = Pattern.compile("\"([\\x20\\x21\\x23-\\x5b\\x5d-\\x7e]|\\\\[\\x20-\\x7e])*\"");
    private static final Pattern DOMAIN = Pattern.compile("(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern IPV4_LITERAL = Pattern.compile("\\[(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}\\]");
    private static final Pattern IPV6_LITERAL = Pattern.compile("\\[IPv6:[0-9A-Fa-f:.]{2,45}\\]");
    private static final Pattern PARAM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]*(=[\\x21-\\x3c\\x3e-\\x7e]+)?");

    /** A parsed path; address "" is the null sender. Parameters keyed upper-case. */
    public record Path(String address, Map<String, String> params) {
    }

    private Envelope() {
    }

    /** null when the syntax is wrong. */
    public static Path mailFrom(String line) {
        return parse(MAIL.matcher(line), true);
    }

    public static Path rcptTo(String line) {
        return parse(RCPT.matcher(line), false);
    }

    private static Path parse(Matcher m, boolean nullAllowed) {
        if (!m.matches()) {
            return null;
        }
        String address = m.group(1);
        if (address.isEmpty() ? !nullAllowed : !validAddress(address)) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        if (m.group(2) != null) {
            for (String p : m.group(2).substring(1).split(" ", -1)) {
                if (!PARAM.matcher(p).matches()) {
                    return null;
                }
                int eq = p.indexOf('=');
                params.put((eq < 0 ? p : p.substring(0, eq)).toUpperCase(Locale.ROOT), eq < 0 ? "" : p.substring(eq + 1));
            }
        }
        return new Path(address, params);
    }

    /**
     * A local part as the mailbox it names: a quoted local part whose content is a dot-atom is the
     * same mailbox as that dot-atom (RFC 5321 4.1.2, and how Postfix delivers {@code "hr"@x} to
     * {@code hr}), so it is returned unquoted and unescaped; anything else is returned as it is.
     */
    public static String unquotedLocalPart(String local) {
        if (local.length() < 2 || local.charAt(0) != '"' || local.charAt(local.length() - 1) != '"') {
            return local;
        }
        StringBuilder inner = new StringBuilder(local.length());
        for (int i = 1; i < local.length() - 1; i++) {
            char c = local.charAt(i);
            if (c == '\\' && i + 1 < local.length() - 1) {
                c = local.charAt(++i);
            }
            inner.append(c);
        }
        return ATOM_LOCAL.matcher(inner).matches() ? inner.toString() : local;
    }

    public static boolean validAddress(String address) {
        if (address.length() > 254) {
            return false;
        }
        int at = address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1) {
            return false;
        }
        String local = address.substring(0, at);
        String domain = address.substring(at + 1);
        if (local.length() > 64) {
            return false;
        }
        boolean localOk = ATOM_LOCAL.matcher(local).matches() || QUOTED_LOCAL.matcher(local).matches();
        return localOk && validDomainOrLiteral(domain);
    }

    public static boolean validDomainOrLiteral(String domain) {
        return DOMAIN.matcher(domain).matches() || IPV4_LITERAL.matcher(domain).matches()
                || IPV6_LITERAL.matcher(domain).matches();
    }

    /** A HELO argument is an FQDN (at least one dot, not all digits) or an address literal. */
    public static boolean fqdnOrLiteral(String helo) {
        if (IPV4_LITERAL.matcher(helo).matches() || IPV6_LITERAL.matcher(helo).matches()) {
            return true;
        }
        return helo.indexOf('.') > 0 && !helo.endsWith(".") && DOMAIN.matcher(helo).matches()
                && !helo.matches("[0-9.]+");
    }
}
