package net.trustbl.gateway.filter;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import net.trustbl.gateway.config.GatewayConfig;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Operator regexes on headers and/or body, case-insensitive (Obtuse SMTPD content rules), each
 * with reject (550 5.7.1), defer (451 4.7.1) or tag. The first matching rule decides.
 */
@ApplicationScoped
public class ContentFilter implements Filter {

    private static final int INLINE_LIMIT = 256 * 1024;

    private record Rule(String where, Pattern pattern, String action, String reason, int index) {
    }

    private final Vertx vertx;
    private final List<Rule> rules = new ArrayList<>();

    public ContentFilter(Vertx vertx, GatewayConfig config) {
        this.vertx = vertx;
        int i = 0;
        for (GatewayConfig.ContentRule r : config.content().rules()) {
            String where = r.where().toLowerCase();
            String action = r.action().toLowerCase();
            if (!Set.of("header", "body", "any").contains(where) || !Set.of("reject", "defer", "tag").contains(action)) {
                throw new IllegalArgumentException("gateway.content.rules[" + i + "]: where must be header|body|any, action reject|defer|tag");
            }
            rules.add(new Rule(where, Pattern.compile(r.pattern(), Pattern.CASE_INSENSITIVE | Pattern.MULTILINE),
                    action, r.reason(), i++));
        }
    }

    @Override
    public String name() {
        return "content";
    }

    @Override
    public Set<Stage> stages() {
        return EnumSet.of(Stage.END_OF_DATA);
    }

    @Override
    public Future<Verdict> check(Stage stage, Transaction tx) {
        if (rules.isEmpty()) {
            return Future.succeededFuture(Verdict.CONTINUE);
        }
        byte[] bytes = tx.message.getBytes();
        return bytes.length <= INLINE_LIMIT ? Future.succeededFuture(scan(bytes))
                : vertx.executeBlocking(() -> scan(bytes), false);
    }

    Verdict scan(byte[] message) {
        // ISO-8859-1 maps every byte to one char, so any raw 8-bit content can be matched
        String text = new String(message, StandardCharsets.ISO_8859_1);
        int split = text.indexOf("\r\n\r\n");
        String headers = split < 0 ? text : text.substring(0, split + 2);
        String body = split < 0 ? "" : text.substring(split + 4);
        for (Rule r : rules) {
            String target = switch (r.where) {
                case "header" -> headers;
                case "body" -> body;
                default -> text;
            };
            if (r.pattern.matcher(target).find()) {
                return switch (r.action) {
                    case "reject" -> Verdict.reject(550, "5.7.1", r.reason);
                    case "defer" -> Verdict.tempfail(451, "4.7.1", r.reason);
                    default -> Verdict.tag("X-TrustBL-Content: rule " + r.index + " matched", null);
                };
            }
        }
        return Verdict.CONTINUE;
    }
}
