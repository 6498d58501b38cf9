package net.trustbl.gateway.filter;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import net.trustbl.gateway.budget.SpoolDisk;
import net.trustbl.gateway.config.GatewayConfig;
import net.trustbl.gateway.transaction.MessageContent;
import net.trustbl.gateway.transaction.Transaction;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Attachment blocking by rejection (never by stripping): at the end of data, a part whose file
 * name or type is on the block list, also inside archives (zip, gzip, tar, and archives inside
 * those), gets 550 5.7.1 naming the file. File names are read as a mail client shows them (see
 * {@link MimeNames}); archives are recognised by magic bytes as well as by name.
 *
 * <p>The filter fails closed: an archive it cannot fully inspect (damaged, encrypted, an
 * unsupported compression method or format, local and central zip names that differ, nesting,
 * size, entry or time budget spent) is refused with 550 5.7.1, or 451 4.7.1 with
 * {@code gateway.attachments.uninspectable-action=defer}. Scans run on a worker thread, never on
 * the event loop, under {@code gateway.attachments.scan-timeout}; a scan not finished by then
 * (waiting for a worker or still running) is 451 4.3.2 whatever the uninspectable action: local
 * overload must never bounce good mail.
 */
@ApplicationScoped
public class AttachmentFilter implements Filter {

    private final Vertx vertx;
    private final AttachmentScanner scanner;
    private final GatewayConfig.Attachments limits;
    private final boolean deferUninspectable;

    @Inject
    public AttachmentFilter(Vertx vertx, GatewayConfig config, SpoolDisk spoolDisk) {
        this(vertx, config.attachments(), config.limits().maxMessageSize(),
                new ZipSpill(Path.of(config.dataDir(), "message-spool"), config.limits().spoolThreshold().asLongValue(),
                        spoolDisk.bytes()));
    }

    AttachmentFilter(Vertx vertx, GatewayConfig.Attachments limits, long maxMessageSize) {
        this(vertx, limits, maxMessageSize, null);
    }

    private AttachmentFilter(Vertx vertx, GatewayConfig.Attachments limits, long maxMessageSize, ZipSpill spill) {
        this.vertx = vertx;
        this.limits = limits;
        Set<String> extensions = Set.copyOf(limits.blockedExtensions().stream()
                .map(e -> e.trim().toLowerCase(Locale.ROOT).replaceFirst("^\\.", "")).toList());
        Set<String> types = Set.copyOf(limits.blockedTypes().orElse(List.of()).stream()
                .map(t -> t.trim().toLowerCase(Locale.ROOT)).toList());
        Set<ArchiveFormat> pass = EnumSet.noneOf(ArchiveFormat.class);
        limits.passUninspectedFormats().orElse(List.of()).forEach(f -> pass.add(ArchiveFormat.byLabel(f)));
        this.scanner = new AttachmentScanner(extensions, types, pass, limits.scanZip(), maxMessageSize, spill);
        this.deferUninspectable = switch (limits.uninspectableAction().trim().toLowerCase(Locale.ROOT)) {
            case "reject" -> false;
            case "defer" -> true;
            default -> throw new IllegalArgumentException(
                    "gateway.attachments.uninspectable-action must be reject or defer, not " + limits.uninspectableAction());
        };
    }

    @Override
    public String name() {
        return "attachments";
    }

    @Override
    public Set<Stage> stages() {
        return EnumSet.of(Stage.END_OF_DATA);
    }

    @Override
    public Future<Verdict> check(Stage stage, Transaction tx) {
        // the message no longer changes after the end of data: the worker streams it (memory or spool)
        MessageContent message = tx.message;
        long timeout = limits.scanTimeout().toMillis();
        Promise<Verdict> answer = Promise.promise();
        // the scan checks the same deadline itself; this timer also covers a scan still queued for a worker
        long timer = vertx.setTimer(timeout, id -> answer.tryComplete(
                verdict(AttachmentScanner.Finding.late("the message"), deferUninspectable)));
        // a scan that gets a worker only after its answer was given is skipped: under overload it would only add to it
        vertx.executeBlocking(() -> answer.future().isComplete() ? null : scan(message), false).onComplete(done -> {
            vertx.cancelTimer(timer);
            if (done.succeeded()) {
                answer.tryComplete(done.result());
            } else {
                answer.tryFail(done.cause());
            }
        });
        return answer.future();
    }

    private Verdict scan(MessageContent message) throws IOException {
        try (InputStream in = message.openStream()) {
            return scan(in);
        }
    }

    /** Blocking: parses the MIME structure and archives and returns the verdict. */
    public Verdict scan(InputStream message) {
        ScanBudget budget = new ScanBudget(limits.maxDepth(), limits.maxInflatedBytes(), limits.maxEntries(),
                limits.scanTimeout().toMillis());
        return verdict(scanner.scan(message, budget), deferUninspectable);
    }

    /**
     * The reply for a finding: blocked names 550 5.7.1; uninspectable 550 5.7.1, or 451 4.7.1 when
     * deferred; a scan not done by its deadline always 451 4.3.2.
     */
    static Verdict verdict(AttachmentScanner.Finding finding, boolean deferUninspectable) {
        if (finding == null) {
            return Verdict.CONTINUE;
        }
        if (finding.late()) {
            // time ran out (queued behind other scans, or a slow machine): no verdict on the message
            return Verdict.tempfail(451, "4.3.2", "Attachment scan of " + printable(finding.what())
                    + " did not finish in time, try again later");
        }
        if (finding.noRoom()) {
            // the spool has no room to decode the archive now: as for a message the spool cannot take
            return Verdict.tempfail(452, "4.3.1", "Insufficient system storage, try again later");
        }
        if (!finding.uninspectable()) {
            return Verdict.reject(550, "5.7.1", "Attachment " + printable(finding.what())
                    + " is not accepted here; send it in another form");
        }
        String text = "Attachment " + printable(finding.what()) + " could not be inspected; send it unencrypted or in another form";
        return deferUninspectable ? Verdict.tempfail(451, "4.7.1", text) : Verdict.reject(550, "5.7.1", text);
    }

    private static String printable(String s) {
        return s.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
