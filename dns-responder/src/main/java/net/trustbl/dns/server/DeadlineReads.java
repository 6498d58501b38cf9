package net.trustbl.dns.server;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/** TCP reads bounded by a deadline, so a slow client cannot hold a connection (RFC 7766 framing). */
final class DeadlineReads {

    private DeadlineReads() {
    }

    /**
     * Reads exactly {@code len} bytes before {@code deadline} (System.nanoTime), however the
     * client spreads them: the socket timeout is set to what is left before every read, so a
     * client dribbling one byte at a time cannot stretch a message beyond its deadline.
     */
    static void readFully(Socket s, InputStream in, byte[] b, int off, int len, long deadline)
            throws IOException {
        int done = 0;
        while (done < len) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new SocketTimeoutException("message deadline");
            }
            s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
            int n = in.read(b, off + done, len - done);
            if (n < 0) {
                throw new EOFException();
            }
            done += n;
        }
    }
}
