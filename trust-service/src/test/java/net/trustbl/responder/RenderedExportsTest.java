package net.trustbl.responder;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Each export is rendered once per tag, and a request that holds an older snapshot renders nothing. */
class RenderedExportsTest {

    private static final String SETTINGS = "$TTL 60\n";

    @Test
    void aRequestHoldingAnOlderSnapshotIsServedTheNewerCachedRenderingWithoutRenderingAgain() throws IOException {
        RenderedExports exports = new RenderedExports();
        ExportTag newer = ExportTag.of("ip4set", 8, SETTINGS);
        exports.gzipped("ip4set", 8, newer, out -> out.write("new\n".getBytes(StandardCharsets.US_ASCII)));
        long renders = exports.renders();

        RenderedExports.Rendered served = exports.gzipped("ip4set", 7, ExportTag.of("ip4set", 7, SETTINGS),
                out -> out.write("old\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(renders, exports.renders(), "the older serial was not rendered again");
        assertEquals("new\n", unzip(served.gzip()));
        // the headers follow what is served, not what was asked for
        assertEquals(8, served.serial());
        assertEquals(newer, served.tag());
    }

    @Test
    void aNewerSerialIsRenderedOnceAndReplacesTheCachedOne() throws IOException {
        RenderedExports exports = new RenderedExports();
        exports.gzipped("ip4set", 7, ExportTag.of("ip4set", 7, SETTINGS), out -> out.write('a'));
        ExportTag newer = ExportTag.of("ip4set", 8, SETTINGS);
        RenderedExports.Rendered first = exports.gzipped("ip4set", 8, newer, out -> out.write('b'));
        RenderedExports.Rendered again = exports.gzipped("ip4set", 8, newer, out -> out.write('c'));
        assertEquals(2, exports.renders());
        assertEquals("b", unzip(first.gzip()));
        assertEquals("b", unzip(again.gzip()));
        assertEquals(8, again.serial());
        // another kind has its own cache
        exports.gzipped("allow-ip4set", 7, ExportTag.of("allow-ip4set", 7, SETTINGS), out -> out.write('d'));
        assertEquals(3, exports.renders());
    }

    private static String unzip(byte[] gzip) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
