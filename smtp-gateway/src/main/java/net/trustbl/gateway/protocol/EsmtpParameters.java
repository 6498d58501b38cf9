package net.trustbl.gateway.protocol;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The ESMTP parameters of MAIL FROM and RCPT TO this gateway accepts: SIZE and BODY (RFC 1870,
 * RFC 6152), and the DSN parameters RET/ENVID/NOTIFY/ORCPT (RFC 3461) only while DSN is offered.
 * Each parse gives either the parameters, kept in the form they are passed on in, or the error reply.
 */
public final class EsmtpParameters {

    /** RFC 3461 parameter syntax (xtext, NOTIFY list, ORCPT addr-type;xtext). */
    private static final Pattern XTEXT = Pattern.compile("([\\x21-\\x2a\\x2c-\\x3c\\x3e-\\x7e]|\\+[0-9A-F]{2})+");
    private static final Pattern NOTIFY = Pattern.compile("(?i)NEVER|(SUCCESS|FAILURE|DELAY)(,(SUCCESS|FAILURE|DELAY)){0,2}");
    private static final Pattern ORCPT = Pattern.compile("(?i)[a-z0-9-]{1,20};([\\x21-\\x2a\\x2c-\\x3c\\x3e-\\x7e]|\\+[0-9A-F]{2})+");

    /**
     * MAIL FROM parameters: declared size (-1 when absent), BODY upper-cased (null when absent),
     * the DSN part as " RET=… ENVID=…" ("" when none); error is non-null when the command is refused.
     */
    public record Mail(long size, String body, String dsn, Reply error) {
    }

    /** RCPT TO parameters: the DSN part as " NOTIFY=… ORCPT=…"; error non-null when refused. */
    public record Rcpt(String dsn, Reply error) {
    }

    private EsmtpParameters() {
    }

    public static Mail mail(Map<String, String> params, boolean dsnOffered) {
        long size = -1;
        String body = null;
        StringBuilder dsn = new StringBuilder();
        for (var p : params.entrySet()) {
            String value = p.getValue();
            switch (p.getKey()) {
                case "SIZE" -> {
                    if (!value.matches("\\d{1,18}")) {
                        return mailError("Bad SIZE parameter");
                    }
                    size = Long.parseLong(value);
                }
                case "BODY" -> {
                    body = value.toUpperCase(Locale.ROOT);
                    if (!body.equals("7BIT") && !body.equals("8BITMIME")) {
                        return mailError("Bad BODY parameter");
                    }
                }
                case "RET" -> {
                    if (!dsnOffered || !value.matches("(?i)FULL|HDRS")) {
                        return mailError("Bad RET parameter");
                    }
                    dsn.append(" RET=").append(value.toUpperCase(Locale.ROOT));
                }
                case "ENVID" -> {
                    if (!dsnOffered || !XTEXT.matcher(value).matches() || value.length() > 100) {
                        return mailError("Bad ENVID parameter");
                    }
                    dsn.append(" ENVID=").append(value);
                }
                default -> {
                    return new Mail(-1, null, "", Reply.of(555, "5.5.4", "Unsupported parameter " + p.getKey()));
                }
            }
        }
        return new Mail(size, body, dsn.toString(), null);
    }

    public static Rcpt rcpt(Map<String, String> params, boolean dsnOffered) {
        StringBuilder dsn = new StringBuilder();
        for (var p : params.entrySet()) {
            boolean ok = dsnOffered && switch (p.getKey()) {
                case "NOTIFY" -> NOTIFY.matcher(p.getValue()).matches();
                case "ORCPT" -> ORCPT.matcher(p.getValue()).matches() && p.getValue().length() <= 500;
                default -> false;
            };
            if (!ok) {
                return new Rcpt("", Reply.of(555, "5.5.4", "Unsupported or bad RCPT parameter " + p.getKey()));
            }
            dsn.append(' ').append(p.getKey()).append('=').append(p.getValue());
        }
        return new Rcpt(dsn.toString(), null);
    }

    private static Mail mailError(String text) {
        return new Mail(-1, null, "", Reply.of(501, "5.5.4", text));
    }
}
