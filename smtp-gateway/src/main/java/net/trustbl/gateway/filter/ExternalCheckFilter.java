package net.trustbl.gateway.filter;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import net.trustbl.gateway.config.GatewayConfig;
import net.trustbl.gateway.transaction.MessageContent;
import net.trustbl.gateway.transaction.Transaction;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * External checker (Obtuse SMTPD): after DATA the message is spooled to a file and the configured
 * command runs with {@code -s file -a ip -f from -t n rcpt…}; exit 0 accepts, 1 rejects (550),
 * anything else or a timeout defers (451). Runs on a worker thread, never on the event loop.
 * <p>
 * An address whose local part begins with {@code -} ({@code -h@example.org} is a valid dot-atom)
 * is passed with its local part quoted, {@code "-h"@example.org}: the same mailbox (RFC 5321
 * 4.1.2), but no argument the sender chose can be read as an option of the checker (a GNU getopt
 * checker permutes its arguments and would take a recipient {@code -h@…} for {@code -h}, which for
 * many tools prints help and exits 0, "accept"). The command line keeps its documented shape.
 */
@ApplicationScoped
public class ExternalCheckFilter implements Filter {

    private static final Logger LOG = Logger.getLogger(ExternalCheckFilter.class);

    private final Vertx vertx;
    private final List<String> command;
    private final long timeoutMillis;
    private final Path spool;

    public ExternalCheckFilter(Vertx vertx, GatewayConfig config) {
        this.vertx = vertx;
        this.command = config.external().command().map(c -> List.of(c.trim().split("\\s+"))).orElse(List.of());
        this.timeoutMillis = config.external().timeout().toMillis();
        this.spool = Path.of(config.dataDir(), "spool");
    }

    @Override
    public String name() {
        return "external";
    }

    @Override
    public Set<Stage> stages() {
        return EnumSet.of(Stage.END_OF_DATA);
    }

    @Override
    public Future<Verdict> check(Stage stage, Transaction tx) {
        if (command.isEmpty()) {
            return Future.succeededFuture(Verdict.CONTINUE);
        }
        MessageContent message = tx.message;
        List<String> args = new ArrayList<>(command);
        String from = tx.mailFrom == null ? "" : asArgument(tx.mailFrom);
        List<String> rcpts = tx.recipients.stream().map(ExternalCheckFilter::asArgument).toList();
        String ip = tx.clientAddress;
        return vertx.executeBlocking(() -> run(args, message, ip, from, rcpts), false);
    }

    /**
     * The address as the checker gets it: unchanged unless it begins with {@code -}, then with its
     * local part quoted (the same mailbox), so that it can never be taken for an option.
     */
    static String asArgument(String address) {
        if (!address.startsWith("-")) {
            return address;
        }
        int at = address.lastIndexOf('@');
        String local = at < 0 ? address : address.substring(0, at);
        String quoted = "\"" + local.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        return at < 0 ? quoted : quoted + address.substring(at);
    }

    private Verdict run(List<String> args, MessageContent message, String ip, String from, List<String> rcpts) throws IOException {
        Files.createDirectories(spool);
        Path file = spool.resolve(UUID.randomUUID() + ".eml");
        try (InputStream in = message.openStream()) {
            Files.copy(in, file);
        }
        try {
            args.addAll(List.of("-s", file.toString(), "-a", ip, "-f", from, "-t", String.valueOf(rcpts.size())));
            args.addAll(rcpts);
            Process p = new ProcessBuilder(args).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                LOG.warnf("external checker timed out after %d ms", timeoutMillis);
                return Verdict.tempfail(451, "4.7.1", "Message check timed out, try again later");
            }
            return switch (p.exitValue()) {
                case 0 -> Verdict.CONTINUE;
                case 1 -> Verdict.reject(550, "5.7.1", "Message rejected by content check");
                default -> Verdict.tempfail(451, "4.7.1", "Message check failed, try again later");
            };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Verdict.tempfail(451, "4.7.1", "Message check interrupted, try again later");
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
