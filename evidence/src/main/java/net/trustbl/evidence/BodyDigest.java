package net.trustbl.evidence;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.apache.james.mime4j.dom.Body;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.SingleBody;

/**
 * SHA-256 of a message body for duplicate detection. Hashes the decoded content of the parts
 * (not the transfer encoding, which forwarding clients like to change), with CRLF turned into
 * LF, trailing blanks on each line and trailing empty lines dropped, so the same spam reported
 * by two members gets the same digest. Walks at most {@link #MAX_DEPTH} levels and
 * {@link #MAX_PARTS} parts; MIME boundaries are random per copy and are therefore left out.
 */
final class BodyDigest {

    static final int MAX_DEPTH = 10;
    static final int MAX_PARTS = 200;

    private final MessageDigest md = Digests.sha256();
    private int parts;

    private BodyDigest() {
    }

    /** Hex digest; never throws (an unreadable part counts as empty). */
    static String of(Body body) {
        BodyDigest d = new BodyDigest();
        d.add(body, 0);
        return Digests.hex(d.md);
    }

    private void add(Body body, int depth) {
        if (body == null || depth > MAX_DEPTH || parts >= MAX_PARTS) {
            return;
        }
        parts++;
        if (body instanceof Multipart mp) {
            for (Entity e : mp.getBodyParts()) {
                md.update((byte) 0); // part separator: "a" + "b" must differ from "ab"
                add(e.getBody(), depth + 1);
            }
        } else if (body instanceof Message m) {
            add(m.getBody(), depth + 1);
        } else if (body instanceof SingleBody sb) {
            try (InputStream in = sb.getInputStream()) {
                md.update(normalize(in.readAllBytes()));
            } catch (IOException | RuntimeException e) {
                md.update("\u0001unreadable".getBytes(StandardCharsets.US_ASCII));
            }
        }
    }

    /** CRLF/CR to LF, no blanks before a line end, no empty lines at the end. */
    static byte[] normalize(byte[] in) {
        byte[] out = new byte[in.length];
        int n = 0;
        for (int i = 0; i < in.length; i++) {
            byte b = in[i];
            if (b == '\r') {
                if (i + 1 < in.length && in[i + 1] == '\n') {
                    continue;
                }
                b = '\n';
            }
            if (b == '\n') {
                while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\t')) {
                    n--;
                }
            }
            out[n++] = b;
        }
        while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == ' ' || out[n - 1] == '\t')) {
            n--;
        }
        byte[] r = new byte[n];
        System.arraycopy(out, 0, r, 0, n);
        return r;
    }
}
