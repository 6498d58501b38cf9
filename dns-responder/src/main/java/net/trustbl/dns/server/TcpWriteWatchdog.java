package net.trustbl.dns.server;

import java.io.IOException;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closes a TCP connection whose answer cannot be written in time. A socket read has a timeout, a
 * write has none: a client that sends queries and never reads the answers fills its receive window
 * and then holds the serving thread in {@code write} for as long as it likes, and a handful of
 * such clients would hold every TCP slot (and with them the fallback that truncated UDP answers
 * send resolvers to). Each write of answers registers a deadline here; a daemon thread closes the
 * sockets whose deadline passed, which ends the blocked write with an exception.
 */
final class TcpWriteWatchdog implements Runnable {

    private static final long CHECK_EVERY_MILLIS = 200;

    private final Map<Socket, Long> writeBy = new ConcurrentHashMap<>();
    private final AtomicLong closed = new AtomicLong();
    private volatile boolean running = true;

    /** A write to {@code s} starts; it must be done within {@code timeoutNanos}. */
    void writing(Socket s, long timeoutNanos) {
        writeBy.put(s, System.nanoTime() + timeoutNanos);
    }

    /** The write to {@code s} is done. */
    void written(Socket s) {
        writeBy.remove(s);
    }

    /** Connections closed because an answer could not be written in time. */
    long closed() {
        return closed.get();
    }

    void stop() {
        running = false;
    }

    @Override
    public void run() {
        while (running) {
            try {
                Thread.sleep(CHECK_EVERY_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Map.Entry<Socket, Long> e : writeBy.entrySet()) {
                if (now - e.getValue() > 0 && writeBy.remove(e.getKey(), e.getValue())) {
                    closed.incrementAndGet();
                    try {
                        e.getKey().close();
                    } catch (IOException ignored) {
                        // closing
                    }
                }
            }
        }
    }
}
