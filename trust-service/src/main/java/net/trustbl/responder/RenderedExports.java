package net.trustbl.responder;

import jakarta.enterprise.context.ApplicationScoped;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;

/**
 * The latest rendering of each export (list or allow zone, per format), gzipped, kept until its
 * tag changes. The export is public and unauthenticated: rendered per request, each anonymous GET
 * of a million-address list cost a full pass over the zone (and a gzip of it), a cheap way to keep
 * the service's cores busy. Now a new serial is rendered once, however many ask at once; a plain
 * (not gzip) request is served by unzipping the cached bytes, a fraction of the rendering's cost.
 * Memory: one gzipped copy per export kind, about 3-4 bytes per listed address.
 */
@ApplicationScoped
public class RenderedExports {

    /** Writes the export's text to a stream. */
    @FunctionalInterface
    public interface Renderer {
        void writeTo(OutputStream out) throws IOException;
    }

    private record Rendered(String tag, byte[] gzip) { }

    private final Map<String, Rendered> latest = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong renders = new java.util.concurrent.atomic.AtomicLong();

    /** Renderings so far (tests, metrics). */
    public long renders() {
        return renders.get();
    }

    /** The gzipped export of {@code kind} whose tag is {@code tag}, rendering it when it is not the cached one. */
    byte[] gzipped(String kind, String tag, Renderer renderer) {
        Rendered r = latest.get(kind);
        if (r != null && r.tag.equals(tag)) {
            return r.gzip;
        }
        synchronized (locks.computeIfAbsent(kind, k -> new Object())) {
            r = latest.get(kind);
            if (r != null && r.tag.equals(tag)) {
                return r.gzip; // rendered by the request this one waited for
            }
            renders.incrementAndGet();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
            try (GZIPOutputStream z = new GZIPOutputStream(bytes, 1 << 16)) {
                renderer.writeTo(z);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            r = new Rendered(tag, bytes.toByteArray());
            latest.put(kind, r);
            return r.gzip;
        }
    }
}
