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

    private record Rendered(long serial, String tag, byte[] gzip) { }

    private final Map<String, Rendered> latest = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong renders = new java.util.concurrent.atomic.AtomicLong();

    /** Renderings so far (tests, metrics). */
    public long renders() {
        return renders.get();
    }

    /**
     * The gzipped export of {@code kind} at {@code serial} whose tag is {@code tag}, rendering it
     * when it is not the cached one. A request that still holds an older snapshot than the cached
     * one (it waited while a newer serial was rendered) gets its own rendering, not cached, so that
     * it never pushes the newer one out.
     */
    byte[] gzipped(String kind, long serial, String tag, Renderer renderer) {
        Rendered r = latest.get(kind);
        if (r != null && r.tag.equals(tag)) {
            return r.gzip;
        }
        if (r != null && r.serial > serial) {
            return render(renderer);
        }
        synchronized (locks.computeIfAbsent(kind, k -> new Object())) {
            r = latest.get(kind);
            if (r != null && r.tag.equals(tag)) {
                return r.gzip; // rendered by the request this one waited for
            }
            if (r != null && r.serial > serial) {
                return render(renderer);
            }
            byte[] gzip = render(renderer);
            latest.put(kind, new Rendered(serial, tag, gzip));
            return gzip;
        }
    }

    private byte[] render(Renderer renderer) {
        renders.incrementAndGet();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
        try (GZIPOutputStream z = new GZIPOutputStream(bytes, 1 << 16)) {
            renderer.writeTo(z);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
