package net.trustbl.gateway.filter;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import net.trustbl.gateway.config.GatewayConfig;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.parser.AbstractContentHandler;
import org.apache.james.mime4j.parser.MimeStreamParser;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Attachment blocking by rejection (never by stripping): at the end of data, a part whose file
 * name or type is on the block list, also inside zip archives, gets 550 5.7.1 naming the file.
 */
@ApplicationScoped
public class AttachmentFilter implements Filter {

    /** Messages larger than this are parsed on a worker thread. */
    private static final int INLINE_LIMIT = 256 * 1024;
    private static final int MAX_ZIP_ENTRIES = 10_000;
    private static final Pattern NAME = Pattern.compile("(?i)(?:^|;)\\s*(?:file)?name\\*?=\\s*(?:\"([^\"]*)\"|([^;\\s]*))");

    private final Vertx vertx;
    private final Set<String> extensions;
    private final Set<String> types;
    private final boolean scanZip;

    public AttachmentFilter(Vertx vertx, GatewayConfig config) {
        this.vertx = vertx;
        this.extensions = Set.copyOf(config.attachments().blockedExtensions().stream()
                .map(e -> e.trim().toLowerCase(Locale.ROOT).replaceFirst("^\\.", "")).toList());
        this.types = Set.copyOf(config.attachments().blockedTypes().orElse(List.of()).stream()
                .map(t -> t.trim().toLowerCase(Locale.ROOT)).toList());
        this.scanZip = config.attachments().scanZip();
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
        byte[] bytes = tx.message.getBytes();
        if (bytes.length <= INLINE_LIMIT) {
            return Future.succeededFuture(scan(bytes));
        }
        return vertx.executeBlocking(() -> scan(bytes), false);
    }

    /** Blocking: parses the MIME structure and returns the verdict. */
    public Verdict scan(byte[] message) {
        String[] found = {null};
        MimeConfig mc = MimeConfig.custom().setMaxLineLen(-1).setMaxHeaderLen(-1).setMaxHeaderCount(-1)
                .setMaxContentLen(-1).build();
        MimeStreamParser parser = new MimeStreamParser(mc);
        parser.setContentDecoding(true);
        parser.setContentHandler(new AbstractContentHandler() {
            private String partName;

            @Override
            public void startHeader() {
                partName = null;
            }

            @Override
            public void field(Field field) {
                String n = field.getName().toLowerCase(Locale.ROOT);
                if (n.equals("content-type") || n.equals("content-disposition")) {
                    Matcher m = NAME.matcher(field.getBody().replace("\r\n", " "));
                    while (m.find()) {
                        String v = m.group(1) != null ? m.group(1) : m.group(2);
                        if (v != null && !v.isEmpty() && partName == null) {
                            partName = v.replaceFirst("^[^']*'[^']*'", ""); // RFC 2231 charset'lang'value
                        }
                    }
                }
            }

            @Override
            public void body(BodyDescriptor bd, InputStream is) throws IOException {
                if (found[0] != null) {
                    return;
                }
                String type = bd.getMimeType() == null ? "" : bd.getMimeType().toLowerCase(Locale.ROOT);
                if (types.contains(type)) {
                    found[0] = (partName == null ? "a part" : partName) + " (type " + type + ")";
                    return;
                }
                if (partName != null && blockedName(partName)) {
                    found[0] = partName;
                    return;
                }
                boolean zip = type.equals("application/zip") || type.equals("application/x-zip-compressed")
                        || (partName != null && partName.toLowerCase(Locale.ROOT).endsWith(".zip"));
                if (zip && scanZip) {
                    String inner = blockedInZip(is);
                    if (inner != null) {
                        found[0] = (partName == null ? "zip archive" : partName) + " containing " + inner;
                    }
                }
            }
        });
        try {
            parser.parse(new ByteArrayInputStream(message));
        } catch (MimeException | IOException e) {
            // a message mime4j cannot parse is passed on unchanged: the downstream decides
            return Verdict.CONTINUE;
        }
        if (found[0] == null) {
            return Verdict.CONTINUE;
        }
        return Verdict.reject(550, "5.7.1", "Attachment " + found[0].replaceAll("[^\\x20-\\x7e]", "?")
                + " is not accepted here; send it in another form");
    }

    boolean blockedName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        int dot = n.lastIndexOf('.');
        return dot >= 0 && extensions.contains(n.substring(dot + 1));
    }

    private String blockedInZip(InputStream is) {
        try (ZipInputStream zip = new ZipInputStream(is)) {
            ZipEntry e;
            int count = 0;
            while ((e = zip.getNextEntry()) != null && count++ < MAX_ZIP_ENTRIES) {
                String name = e.getName();
                int slash = name.lastIndexOf('/');
                String base = slash >= 0 ? name.substring(slash + 1) : name;
                if (blockedName(base)) {
                    return base;
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // not a readable zip (or encrypted names): judged by its outer name only
        }
        return null;
    }
}
