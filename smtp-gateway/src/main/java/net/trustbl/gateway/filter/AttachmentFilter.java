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
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Attachment blocking by rejection (never by stripping): at the end of data, a part whose file
 * name or type is on the block list, also inside zip archives (and zips inside those), gets
 * 550 5.7.1 naming the file. File names are read as a mail client shows them: RFC 2047 encoded
 * words and RFC 2231 extended/continued parameters are decoded (see {@link MimeNames}).
 */
@ApplicationScoped
public class AttachmentFilter implements Filter {

    /** Messages larger than this are parsed on a worker thread. */
    private static final int INLINE_LIMIT = 256 * 1024;
    private static final int MAX_ZIP_ENTRIES = 10_000;
    /** Zips inside zips are opened this deep (the outer archive is depth 1). */
    private static final int MAX_ZIP_DEPTH = 4;
    /** Bytes decompressed per message while looking into archives; beyond, the archive is judged by its name. */
    private static final long MAX_ZIP_BYTES = 64L * 1024 * 1024;

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
            private final List<String> names = new ArrayList<>();
            private final long[] zipBudget = {MAX_ZIP_BYTES};

            @Override
            public void startHeader() {
                partName = null;
                names.clear();
            }

            @Override
            public void field(Field field) {
                String n = field.getName().toLowerCase(Locale.ROOT);
                if (n.equals("content-type") || n.equals("content-disposition")) {
                    // RFC 2047 words and RFC 2231 parameters decoded, every spelling kept
                    for (String name : MimeNames.fileNames(field.getBody())) {
                        String clean = name.trim();
                        if (!clean.isEmpty() && !names.contains(clean)) {
                            names.add(clean);
                        }
                    }
                    if (partName == null && !names.isEmpty()) {
                        partName = names.get(0);
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
                for (String name : names) {
                    if (blockedName(name)) {
                        found[0] = name;
                        return;
                    }
                }
                boolean zip = type.equals("application/zip") || type.equals("application/x-zip-compressed")
                        || names.stream().anyMatch(AttachmentFilter::zipName);
                if (zip && scanZip) {
                    String inner = blockedInZip(is, 1, zipBudget);
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
        // Windows ignores trailing dots and spaces: "x.exe." runs as x.exe
        String n = name.trim().toLowerCase(Locale.ROOT).replaceAll("[.\\s]+$", "");
        int dot = n.lastIndexOf('.');
        return dot >= 0 && extensions.contains(n.substring(dot + 1));
    }

    static boolean zipName(String name) {
        return name.trim().toLowerCase(Locale.ROOT).endsWith(".zip");
    }

    /**
     * The first blocked entry name of the archive, looking into zips inside it down to
     * {@link #MAX_ZIP_DEPTH}; every decompressed byte counts against the message's budget, so a zip
     * bomb costs at most {@link #MAX_ZIP_BYTES} of inflating. Unreadable or over-budget archives are
     * judged by their outer name only.
     */
    private String blockedInZip(InputStream is, int depth, long[] budget) {
        // not closed: closing a nested ZipInputStream would close the archive around it
        ZipInputStream zip = new ZipInputStream(is);
        try {
            ZipEntry e;
            int count = 0;
            while ((e = zip.getNextEntry()) != null && count++ < MAX_ZIP_ENTRIES) {
                String name = e.getName();
                int slash = name.lastIndexOf('/');
                String base = slash >= 0 ? name.substring(slash + 1) : name;
                if (blockedName(base)) {
                    return base;
                }
                if (!e.isDirectory() && zipName(base) && depth < MAX_ZIP_DEPTH) {
                    String inner = blockedInZip(new Budgeted(zip, budget), depth + 1, budget);
                    if (inner != null) {
                        return base + " containing " + inner;
                    }
                }
                // read the rest of the entry ourselves, so the inflating is counted
                byte[] skip = new byte[8192];
                int n;
                while ((n = zip.read(skip)) > 0) {
                    budget[0] -= n;
                    if (budget[0] < 0) {
                        return null;
                    }
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // not a readable zip (or encrypted names): judged by its outer name only
        }
        return null;
    }

    /** Counts what a nested archive reads against the message's decompression budget. */
    private static final class Budgeted extends FilterInputStream {
        private final long[] budget;

        Budgeted(InputStream in, long[] budget) {
            super(in);
            this.budget = budget;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && --budget[0] < 0) {
                throw new IOException("archive decompression budget exhausted");
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0 && (budget[0] -= n) < 0) {
                throw new IOException("archive decompression budget exhausted");
            }
            return n;
        }

        @Override
        public void close() {
            // never closes the enclosing archive
        }
    }
}
