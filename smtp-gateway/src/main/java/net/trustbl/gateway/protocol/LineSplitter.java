package net.trustbl.gateway.protocol;

import io.vertx.core.buffer.Buffer;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Cuts the client's byte stream into lines ended by CRLF only. A bare CR or LF stays inside the
 * line (the session decides: syntax error for commands, smuggling for data), so no alternative
 * end-of-data sequence can ever be taken for a line end here.
 *
 * <p>Lines longer than {@code maxLine} octets (not counting their CRLF) are cut: the first part is
 * delivered flagged as overlong and the rest up to the next CRLF is dropped, so memory per session
 * stays bounded. RFC 5321's 1000-octet text line including CRLF is {@code maxLine = 998}.
 */
public final class LineSplitter {

    /** One line without its CRLF. */
    public record Line(byte[] bytes, boolean overlong) {
        public int length() {
            return bytes.length;
        }
    }

    private final int maxLine;
    private final Consumer<Line> sink;
    private byte[] partial = new byte[256];
    private int partialLength;
    private boolean discarding;

    /** @param maxLine longest line delivered whole, in octets without the CRLF */
    public LineSplitter(int maxLine, Consumer<Line> sink) {
        this.maxLine = maxLine;
        this.sink = sink;
    }

    /** Drops whatever is buffered: after STARTTLS no plaintext byte may survive (CVE-2011-0411). */
    public void reset() {
        partialLength = 0;
        discarding = false;
        if (partial.length > 4096) {
            partial = new byte[256];
        }
    }

    public boolean hasPartial() {
        return partialLength > 0 || discarding;
    }

    public void feed(Buffer data) {
        feed(data, 0, () -> false);
    }

    /**
     * Feeds {@code data} from {@code from} on and stops right after a delivered line when
     * {@code full} says so (the reader's queue has no room), so a chunk of many short lines does not
     * all become lines at once. Returns where it stopped: feed the rest from there later, before
     * anything newer; {@code data.length()} when every byte was taken.
     */
    public int feed(Buffer data, int from, BooleanSupplier full) {
        int n = data.length();
        for (int i = from; i < n; i++) {
            byte b = data.getByte(i);
            if (b == '\n' && partialLength > 0 && partial[partialLength - 1] == '\r') {
                partialLength--;
                if (discarding) {
                    discarding = false;
                    partialLength = 0;
                    continue;
                }
                byte[] line = new byte[partialLength];
                System.arraycopy(partial, 0, line, 0, partialLength);
                partialLength = 0;
                sink.accept(new Line(line, false));
                if (full.getAsBoolean()) {
                    return i + 1;
                }
                continue;
            }
            if (discarding) {
                // keep only the last byte, to see a CR that a following LF completes
                partial[0] = b;
                partialLength = 1;
                continue;
            }
            // partial may hold maxLine octets plus the CR of a CRLF whose LF has not arrived yet
            if (partialLength > maxLine || (partialLength == maxLine && b != '\r')) {
                // deliver what fits, flagged; drop the rest of this line
                byte[] line = new byte[partialLength];
                System.arraycopy(partial, 0, line, 0, partialLength);
                sink.accept(new Line(line, true));
                discarding = true;
                partial[0] = b;
                partialLength = 1;
                if (full.getAsBoolean()) {
                    return i + 1;
                }
                continue;
            }
            if (partialLength == partial.length) {
                byte[] bigger = new byte[Math.min(maxLine + 1, partial.length * 2)];
                System.arraycopy(partial, 0, bigger, 0, partialLength);
                partial = bigger;
            }
            partial[partialLength++] = b;
        }
        return n;
    }
}
