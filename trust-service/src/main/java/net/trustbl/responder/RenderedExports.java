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

    /** A gzipped export, with the serial and tag it was rendered for (its response headers). */
    record Rendered(long serial, ExportTag tag, byte[] gzip) { }

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
     * one (it waited while a newer serial was rendered) is served the newer rendering, with its own
     * serial and tag: a mirror is glad of a newer list, and rendering the old one again (a second or
     * more for a million addresses) for every such request is what the cache is there to avoid.
     */
    Rendered gzipped(String kind, long serial, ExportTag tag, Renderer renderer) {
        Rendered r = latest.get(kind);
        if (r != null && (r.tag.equals(tag) || r.serial > serial)) {
            return r;
        }
        synchronized (locks.computeIfAbsent(kind, k -> new Object())) {
            r = latest.get(kind);
            if (r != null && (r.tag.equals(tag) || r.serial > serial)) {
                return r; // rendered by the request this one waited for
            }
            r = new Rendered(serial, tag, render(renderer));
            latest.put(kind, r);
            return r;
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
