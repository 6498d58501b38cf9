package net.trustbl.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Runs every row of corpus/expected.tsv against the message file it names. */
class CorpusTest {

    private static final EvidenceExtractor EXTRACTOR = new EvidenceExtractor();

    static Stream<Arguments> rows() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (String line : resource("expected.tsv").split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] c = line.split("\t", -1);
            assertEquals(6, c.length, "six tab-separated columns: " + line);
            out.add(Arguments.of(c[0], c[1], c[2], c[3], c[4], c[5]));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} mailhosts={1}")
    @MethodSource("rows")
    void corpusMessage(String file, String mailhosts, String expected, String strength, String rule, String details)
            throws IOException {
        Mailhosts hosts = mailhosts.equals("-") ? Mailhosts.none() : Mailhosts.parse(Arrays.asList(mailhosts.split(",")));
        Extraction x = EXTRACTOR.extract(bytes(file), hosts);

        List<String> wantSources = new ArrayList<>();
        List<String> wantErrors = new ArrayList<>();
        for (String item : expected.split("\\|")) {
            if (item.startsWith("error:")) {
                wantErrors.add(item.substring(6));
            } else {
                wantSources.add(item);
            }
        }
        String got = "reports=" + x.reports() + " errors=" + x.errors();
        assertEquals(wantSources, x.reports().stream().map(ExtractedReport::sourceIp).toList(), got);
        assertEquals(wantErrors.size(), x.errors().size(), got);
        for (int i = 0; i < wantErrors.size(); i++) {
            assertTrue(x.errors().get(i).contains(wantErrors.get(i)),
                    "error " + i + " should contain '" + wantErrors.get(i) + "': " + x.errors());
        }
        for (ExtractedReport r : x.reports()) {
            assertEquals(Double.parseDouble(strength), r.strength(), 1e-9, got);
            assertEquals(rule, r.rule(), got);
            assertEquals(64, r.subjectSha256().length());
            assertEquals(Digests.sha256Hex(r.subject()), r.subjectSha256());
        }
        if (!details.equals("-")) {
            ExtractedReport r = x.reports().get(0);
            for (String check : details.split(";")) {
                int eq = check.indexOf('=');
                String key = check.substring(0, eq);
                String want = check.substring(eq + 1);
                checkDetail(r, key, want.equals("-") ? null : want, got);
            }
        }
    }

    private static void checkDetail(ExtractedReport r, String key, String want, String got) {
        switch (key) {
            case "helo" -> assertEquals(want, r.helo(), got);
            case "rdns" -> assertEquals(want, r.rdns(), got);
            case "time" -> assertEquals(want, r.time() == null ? null : r.time().toString(), got);
            case "subject" -> assertEquals(want, r.subject(), got);
            case "form" -> assertEquals(want, r.form(), got);
            case "part" -> assertEquals(want, r.part(), got);
            case "body" -> assertEquals(want, r.bodySha256(), got);
            case "note" -> {
                assertNotNull(r.note(), got);
                assertTrue(r.note().contains(want), "note should contain '" + want + "': " + r.note());
            }
            default -> throw new IllegalArgumentException("unknown detail key " + key);
        }
    }

    /** The corpus must keep covering what the issue asks for, not shrink silently. */
    @Test
    void corpusHasAtLeastThirtyMessages() throws IOException {
        long files = rows().map(a -> a.get()[0]).distinct().count();
        assertTrue(files >= 30, "corpus has " + files + " messages");
    }

    static byte[] bytes(String file) throws IOException {
        try (InputStream in = CorpusTest.class.getResourceAsStream("/corpus/" + file)) {
            assertNotNull(in, "corpus file " + file);
            return in.readAllBytes();
        }
    }

    private static String resource(String file) throws IOException {
        return new String(bytes(file), StandardCharsets.UTF_8);
    }
}
