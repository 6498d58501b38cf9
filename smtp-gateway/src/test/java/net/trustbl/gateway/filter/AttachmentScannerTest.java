package net.trustbl.gateway.filter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The attachment scan on crafted archives: blocked names are found, and what cannot be read fails closed. */
class AttachmentScannerTest {

    private static final Set<String> BLOCKED = Set.of("exe", "scr", "js", "bat");
    private static final byte[] PDF = "%PDF-1.4 a report".getBytes(StandardCharsets.US_ASCII);

    private final AttachmentScanner scanner = scanner(EnumSet.noneOf(ArchiveFormat.class));

    private static AttachmentScanner scanner(Set<ArchiveFormat> passUnopened) {
        return new AttachmentScanner(BLOCKED, Set.of(), passUnopened, true, 10 * 1024 * 1024);
    }

    private AttachmentScanner.Finding scan(String filename, byte[] content) {
        return scanner.scan(mail(filename, content), budget(4));
    }

    private static ScanBudget budget(int depth) {
        return new ScanBudget(depth, 64L * 1024 * 1024, 10_000, 10_000);
    }

    private static void assertBlocked(AttachmentScanner.Finding f, String name) {
        assertTrue(f != null && !f.uninspectable() && f.what().contains(name), "blocked naming " + name + ": " + f);
    }

    private static void assertUninspectable(AttachmentScanner.Finding f, String reason) {
        assertTrue(f != null && f.uninspectable() && f.what().contains(reason), "uninspectable (" + reason + "): " + f);
    }

    @Test
    void aZipAboveTheSpoolThresholdIsReadFromItsSpoolFileAndTheFileIsDeleted(@TempDir Path spool) throws IOException {
        AttachmentScanner spilling = new AttachmentScanner(BLOCKED, Set.of(), Set.of(), true, 10 * 1024 * 1024,
                new ZipSpill(spool, 1024));
        byte[] filler = new byte[8192];
        new java.util.Random(7).nextBytes(filler);
        byte[] inner = new RawZip().add("invoice.exe", "MZ".getBytes()).bytes();
        byte[] hidden = new RawZip().add("filler.bin", "filler.bin", 0, 0, filler, new byte[0]).add("inner.zip", inner).bytes();
        byte[] differ = new RawZip().add("filler.bin", "filler.bin", 0, 0, filler, new byte[0])
                .add("readme.exe", "readme.txt", 8, 0, "x".getBytes(), new byte[0]).bytes();
        byte[] clean = new RawZip().add("filler.bin", "filler.bin", 0, 0, filler, new byte[0]).add("report.pdf", PDF).bytes();
        assertBlocked(spilling.scan(mail("docs.zip", hidden), budget(4)), "inner.zip containing invoice.exe");
        assertUninspectable(spilling.scan(mail("docs.zip", differ), budget(4)), "local header names readme.exe");
        assertNull(spilling.scan(mail("docs.zip", clean), budget(4)));
        try (java.util.stream.Stream<Path> left = Files.list(spool)) {
            assertEquals(0, left.count(), "every spilled zip is deleted after its scan");
        }
    }

    @Test
    void zipNestedSixDeepFailsClosedAndIsSeenThroughWithADeeperBudget() {
        byte[] archive = new RawZip().add("invoice.exe", "MZ".getBytes()).bytes();
        for (int level = 5; level >= 1; level--) {
            archive = new RawZip().add("level" + level + ".zip", archive).bytes();
        }
        assertUninspectable(scan("docs.zip", archive), "nested more than 4 deep");
        assertBlocked(scanner.scan(mail("docs.zip", archive), budget(8)), "invoice.exe");
    }

    @Test
    void storedEntryWithDataDescriptorIsWalkedThroughTheCentralDirectory() {
        byte[] exe = new RawZip().add("invoice.exe", "invoice.exe", 0, 8, "MZ payload".getBytes(), new byte[0]).bytes();
        assertBlocked(scan("docs.zip", exe), "invoice.exe");
        byte[] clean = new RawZip().add("notes.txt", "notes.txt", 0, 8, "plain notes".getBytes(), new byte[0])
                .add("report.pdf", PDF).bytes();
        assertNull(scan("docs.zip", clean), "a walkable STORED entry with a descriptor is no reason to refuse");
    }

    @Test
    void localAndCentralNamesThatDifferFailClosedEitherWay() {
        byte[] centralExe = new RawZip().add("readme.txt", "readme.exe", 8, 0, "x".getBytes(), new byte[0]).bytes();
        AttachmentScanner.Finding f = scan("docs.zip", centralExe);
        assertTrue(f != null && f.what().contains("readme.exe"), "refused naming readme.exe: " + f);
        byte[] localExe = new RawZip().add("readme.exe", "readme.txt", 8, 0, "x".getBytes(), new byte[0]).bytes();
        assertUninspectable(scan("docs.zip", localExe), "local header names readme.exe");
    }

    @Test
    void cleanZipWithAPdfPasses() {
        assertNull(scan("docs.zip", new RawZip().add("dir/report.pdf", PDF).add("dir/", new byte[0]).bytes()));
    }

    /** Zips as real tools stream them: Info-ZIP's zip64 end records, Python's descriptors with zip64 extras. */
    @Test
    void streamedZipsOfCommonToolsPass() {
        String infoZipFromStdin = "UEsDBC0AAAAAAGhOgl0gMDo2//////////8BABQALQEAEAAGAAAAAAAAAAYAAAAAAAAAaGVsbG8KUEsBAh4DLQAAAAAAaE6CXSAwOjYG"
                + "AAAABgAAAAEAAAAAAAAAAQAAAIARAAAAAC1QSwYGLAAAAAAAAAAeAy0AAAAAAAAAAAABAAAAAAAAAAEAAAAAAAAALwAAAAAAAAA5AAAAAAAAAFBL"
                + "BgcAAAAAaAAAAAAAAAABAAAAUEsFBgAAAAABAAEALwAAADkAAAAAAA==";
        String pythonStreamed = "UEsDBBQACAAIAAAAIQAAAAAAAAAAAAAAAAAFAAAAYS50eHTLSM3JyQcAUEsHCIamEDYHAAAABQAAAFBLAwQtAAgACAAAACEAAAAA"
                + "AP//////////BQAUAGMudHh0AQAQAAAAAAAAAAAAAAAAAAAAAACrqBgFo2AUDHcAAFBLBwjmyUE7CwAAAAAAAADoAwAAAAAAAFBLAQIUAxQACAAI"
                + "AAAAIQCGphA2BwAAAAUAAAAFAAAAAAAAAAAAAACAAQAAAABhLnR4dFBLAQItAy0ACAAIAAAAIQDmyUE7CwAAAOgDAAAFAAAAAAAAAAAAAACAAToA"
                + "AABjLnR4dFBLBQYAAAAAAgACAGYAAACUAAAAAAA=";
        assertNull(scan("stdin.zip", Base64.getDecoder().decode(infoZipFromStdin)));
        assertNull(scan("streamed.zip", Base64.getDecoder().decode(pythonStreamed)));
    }

    @Test
    void encryptedDamagedAndUnsupportedArchivesFailClosed() {
        byte[] encrypted = new RawZip().add("report.pdf", "report.pdf", 8, 1, PDF, new byte[0]).bytes();
        assertUninspectable(scan("docs.zip", encrypted), "encrypted zip entry report.pdf");
        byte[] good = new RawZip().add("report.pdf", PDF).bytes();
        assertUninspectable(scan("docs.zip", Arrays.copyOf(good, good.length - 10)), "damaged zip");
        assertUninspectable(scan("docs.zip", "not a zip at all".getBytes()), "damaged zip");
        byte[] bzip2Method = new RawZip().add("report.pdf", "report.pdf", 12, 0, PDF, new byte[0]).bytes();
        assertUninspectable(scan("docs.zip", bzip2Method), "unsupported compression method 12");
        byte[] prefixed = concat("junk before".getBytes(), good);
        assertUninspectable(scan("docs.zip", prefixed), "zip");
    }

    @Test
    void archivesAreRecognisedByMagicBytesNotOnlyByName() {
        assertBlocked(scan("report.pdf", new RawZip().add("run.js", "x".getBytes()).bytes()), "run.js");
        byte[] sevenZip = concat(new byte[] {'7', 'z', (byte) 0xbc, (byte) 0xaf, 0x27, 0x1c, 0, 4}, PDF);
        assertUninspectable(scan("photo.jpg", sevenZip), "7z archives are not opened here");
        assertNull(scanner(EnumSet.of(ArchiveFormat.SEVEN_ZIP)).scan(mail("photo.jpg", sevenZip), budget(4)),
                "passes when the operator lists 7z");
        assertUninspectable(scan("files.rar", PDF), "rar archives are not opened here");
    }

    @Test
    void unicodePathExtraFieldNameIsChecked() {
        byte[] zip = new RawZip().add("readme.txt", "readme.txt", 8, 0, "x".getBytes(), RawZip.unicodePath("readme.exe")).bytes();
        assertBlocked(scan("docs.zip", zip), "readme.exe");
    }

    @Test
    void gzipAndTarAreOpened() throws IOException {
        byte[] tar = concat(tarEntry("docs/report.pdf", PDF), tarEntry("docs/setup.bat", "echo".getBytes()), new byte[1024]);
        assertBlocked(scan("docs.tar.gz", gzip(tar)), "setup.bat");
        byte[] cleanTar = concat(tarEntry("docs/report.pdf", PDF), new byte[1024]);
        assertNull(scan("docs.tgz", gzip(cleanTar)));
        byte[] zipInTar = concat(tarEntry("inner.zip", new RawZip().add("evil.js", "x".getBytes()).bytes()), new byte[1024]);
        assertBlocked(scan("bundle.tar", zipInTar), "evil.js");
        byte[] badChecksum = cleanTar.clone();
        badChecksum[0] ^= 1;
        assertUninspectable(scan("docs.tar", badChecksum), "checksum");
        assertUninspectable(scan("docs.gz", concat(new byte[] {0x1f, (byte) 0x8b, 8, 0}, PDF)), "damaged compressed data");
    }

    @Test
    void budgetsFailClosed() {
        byte[] inner = new RawZip().add("zeros.bin", "zeros.bin", 0, 0, new byte[2 * 1024 * 1024], new byte[0]).bytes();
        byte[] outer = new RawZip().add("inner.zip", inner).bytes();
        ScanBudget small = new ScanBudget(4, 1024 * 1024, 10_000, 10_000);
        assertUninspectable(scanner.scan(mail("docs.zip", outer), small), "decompression budget");
        ScanBudget few = new ScanBudget(4, 64L * 1024 * 1024, 1, 10_000);
        assertUninspectable(scanner.scan(mail("docs.zip", new RawZip().add("a.pdf", PDF).add("b.pdf", PDF).bytes()), few),
                "entries");
        ScanBudget expired = new ScanBudget(4, 64L * 1024 * 1024, 10_000, -1);
        assertUninspectable(scanner.scan(mail("docs.zip", outer), expired), "deadline");
    }

    @Test
    void mimeLimitsAreSetAndFailClosed() {
        String headers = "X-Filler: x\r\n".repeat(1_500);
        String message = "From: a@example.net\r\n" + headers + "Subject: many\r\n\r\nbody\r\n";
        AttachmentScanner.Finding f = scanner.scan(new ByteArrayInputStream(message.getBytes()), budget(4));
        assertTrue(f != null && f.uninspectable() && f.what().startsWith("the message"), String.valueOf(f));
        assertNull(scanner.scan(mail("report.pdf", PDF), budget(4)));
    }

    @Test
    void uninspectableRepliesAre550OrDeferred451() {
        AttachmentScanner.Finding f = new AttachmentScanner.Finding(true, "docs.zip (encrypted zip entry a)");
        Verdict reject = AttachmentFilter.verdict(f, false);
        assertEquals(550, reject.code());
        assertEquals("5.7.1", reject.status());
        Verdict defer = AttachmentFilter.verdict(f, true);
        assertEquals(Verdict.Kind.TEMPFAIL, defer.kind());
        assertEquals(451, defer.code());
        assertEquals(550, AttachmentFilter.verdict(new AttachmentScanner.Finding(false, "run.exe"), true).code(),
                "a blocked name is refused whatever the uninspectable action");
    }

    static ByteArrayInputStream mail(String filename, byte[] content) {
        String b64 = Base64.getMimeEncoder(76, "\r\n".getBytes()).encodeToString(content);
        String m = "From: a@example.net\r\nSubject: files\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"BOUND\"\r\n\r\n"
                + "--BOUND\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
                + "--BOUND\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Disposition: attachment; filename=\"" + filename + "\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + b64 + "\r\n--BOUND--\r\n";
        return new ByteArrayInputStream(m.getBytes(StandardCharsets.US_ASCII));
    }

    /** One ustar header and its content padded to 512-byte blocks. */
    static byte[] tarEntry(String name, byte[] content) {
        byte[] header = new byte[512];
        put(header, 0, name);
        put(header, 100, "0000644");
        put(header, 108, "0000000");
        put(header, 116, "0000000");
        put(header, 124, String.format("%011o", content.length));
        put(header, 136, "00000000000");
        header[156] = '0';
        put(header, 257, "ustar");
        put(header, 263, "00");
        Arrays.fill(header, 148, 156, (byte) ' ');
        int sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, String.format("%06o", sum));
        header[154] = 0;
        byte[] padded = Arrays.copyOf(content, (content.length + 511) / 512 * 512);
        return concat(header, padded);
    }

    private static void put(byte[] b, int at, String s) {
        byte[] v = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(v, 0, b, at, v.length);
    }

    static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(content);
        }
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
