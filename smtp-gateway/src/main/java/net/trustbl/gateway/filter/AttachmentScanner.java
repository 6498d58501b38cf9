package net.trustbl.gateway.filter;

import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.parser.AbstractContentHandler;
import org.apache.james.mime4j.parser.MimeStreamParser;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Walks a message's MIME parts (mime4j, with limits on header count, line and header length and
 * content size) and judges each part by its file names, its type and, when it is an archive by
 * magic bytes or name, by what the archive holds. Blocking; run it on a worker thread.
 */
final class AttachmentScanner {

    /**
     * What the scan found; null from {@link #scan} means nothing. noRoom: the spool was full, judge
     * later. late: the scan did not finish by its deadline, judge later (a busy gateway is no
     * verdict on the message).
     */
    record Finding(boolean uninspectable, String what, boolean noRoom, boolean late) {
        Finding(boolean uninspectable, String what) {
            this(uninspectable, what, false, false);
        }

        Finding(boolean uninspectable, String what, boolean noRoom) {
            this(uninspectable, what, noRoom, false);
        }

        /** The scan of {@code what} was not done by its deadline (still queued for a worker, or still running). */
        static Finding late(String what) {
            return new Finding(true, what + " (scan deadline passed)", false, true);
        }
    }

    /** Longest header line mime4j accepts (RFC 5322 allows 998; real mail is sometimes longer). */
    private static final int MAX_HEADER_LINE = 10_000;
    /** One folded header field (Postfix's whole-header default, header_size_limit, is 102400). */
    private static final int MAX_HEADER_FIELD = 102_400;
    private static final int MAX_HEADER_FIELDS = 1_000;

    private final Set<String> extensions;
    private final Set<String> types;
    private final ArchiveInspector archives;
    private final MimeConfig mimeConfig;

    /** archives null: archives are judged by their names only (gateway.attachments.scan-zip=false). */
    AttachmentScanner(Set<String> extensions, Set<String> types, Set<ArchiveFormat> passUnopened,
                      boolean openArchives, long maxMessageBytes) {
        this(extensions, types, passUnopened, openArchives, maxMessageBytes, null);
    }

    /** spill: where a zip attachment above its threshold is decoded to be read (null: always in heap). */
    AttachmentScanner(Set<String> extensions, Set<String> types, Set<ArchiveFormat> passUnopened,
                      boolean openArchives, long maxMessageBytes, ZipSpill spill) {
        this.extensions = extensions;
        this.types = types;
        this.archives = openArchives ? new ArchiveInspector(this::blockedName, passUnopened, spill) : null;
        this.mimeConfig = MimeConfig.custom().setMaxLineLen(MAX_HEADER_LINE).setMaxHeaderLen(MAX_HEADER_FIELD)
                .setMaxHeaderCount(MAX_HEADER_FIELDS).setMaxContentLen(maxMessageBytes).build();
    }

    /** The first blocked or uninspectable part, or null when every part is clean. */
    Finding scan(InputStream message, ScanBudget budget) {
        PartJudge judge = new PartJudge(budget);
        MimeStreamParser parser = new MimeStreamParser(mimeConfig);
        parser.setContentDecoding(true);
        parser.setContentHandler(judge);
        try {
            parser.parse(message);
        } catch (MimeException | IOException e) {
            // a structure the parser gave up on hides its parts: fail closed
            return judge.finding != null ? judge.finding
                    : new Finding(true, "the message (" + e.getMessage() + ")");
        }
        return judge.finding;
    }

    boolean blockedName(String name) {
        // Windows ignores trailing dots and spaces: "x.exe." runs as x.exe
        String n = name.trim().toLowerCase(Locale.ROOT).replaceAll("[.\\s]+$", "");
        int dot = n.lastIndexOf('.');
        return dot >= 0 && extensions.contains(n.substring(dot + 1));
    }

    /** Collects each part's names from its headers and judges the part at its body. */
    private final class PartJudge extends AbstractContentHandler {
        private final ScanBudget budget;
        private final List<String> names = new ArrayList<>();
        Finding finding;

        PartJudge(ScanBudget budget) {
            this.budget = budget;
        }

        @Override
        public void startHeader() {
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
            }
        }

        @Override
        public void body(BodyDescriptor bd, InputStream is) throws IOException {
            if (finding == null) {
                finding = judge(bd, is);
            }
        }

        private Finding judge(BodyDescriptor bd, InputStream is) throws IOException {
            String partName = names.isEmpty() ? "a part" : names.get(0);
            try {
                budget.checkDeadline();
            } catch (Uninspectable e) {
                return uninspectable(partName, e);
            }
            String type = bd.getMimeType() == null ? "" : bd.getMimeType().toLowerCase(Locale.ROOT);
            if (types.contains(type)) {
                return new Finding(false, partName + " (type " + type + ")");
            }
            for (String name : names) {
                if (blockedName(name)) {
                    return new Finding(false, name);
                }
            }
            if (archives == null) {
                return null;
            }
            BufferedInputStream content = new BufferedInputStream(is, ArchiveFormat.SNIFF_BYTES);
            content.mark(ArchiveFormat.SNIFF_BYTES);
            byte[] head = content.readNBytes(ArchiveFormat.SNIFF_BYTES);
            ArchiveFormat format = ArchiveFormat.detect(head, head.length, names);
            if (format == null) {
                return null;
            }
            content.reset();
            String label = names.isEmpty() ? format.label + " archive" : partName;
            try {
                // streamed (gzip, tar) or copied to memory or the spool (zip): never read whole into heap
                String inner = archives.inspect(format, content, 1, budget);
                return inner == null ? null : new Finding(false, label + " containing " + inner);
            } catch (Uninspectable e) {
                return uninspectable(label, e);
            } catch (ZipSpill.NoRoom e) {
                return new Finding(true, label + " (" + e.getMessage() + ")", true);
            }
        }

        private static Finding uninspectable(String label, Uninspectable e) {
            return e.deadlinePassed ? Finding.late(label) : new Finding(true, label + " (" + e.getMessage() + ")");
        }
    }
}
