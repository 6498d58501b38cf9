package net.trustbl.dns.zone;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The TXT text of a listing: the configured template with every {@code $} replaced by the
 * queried IP (as rbldnsd does). Keeps the template split at the {@code $} as bytes so the fast path
 * writes it without building a String.
 */
public final class TxtTemplate {

    private final String template;
    private final byte[][] parts;

    public TxtTemplate(String template) {
        this.template = template;
        String[] p = template.split("\\$", -1);
        this.parts = new byte[p.length][];
        for (int i = 0; i < p.length; i++) {
            // TXT is 8-bit clean but resolvers show ASCII best; anything else becomes '?'
            this.parts[i] = p[i].getBytes(StandardCharsets.US_ASCII);
        }
    }

    public String template() {
        return template;
    }

    public String render(String ip) {
        return template.replace("$", ip);
    }

    /** The rendered text split into character-strings of at most 255 bytes. */
    public List<String> splitForTxt(String ip) {
        String s = render(ip);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < s.length(); i += 255) {
            out.add(s.substring(i, Math.min(s.length(), i + 255)));
        }
        if (out.isEmpty()) {
            out.add("");
        }
        return out;
    }

    /** Writes the rendered text into {@code out} at {@code off}; returns the text length. */
    public int render(byte[] ip, int ipOff, int ipLen, byte[] out, int off) {
        int o = off;
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                System.arraycopy(ip, ipOff, out, o, ipLen);
                o += ipLen;
            }
            System.arraycopy(parts[i], 0, out, o, parts[i].length);
            o += parts[i].length;
        }
        return o - off;
    }

    /** Upper bound of the rendered length for an IP text of {@code ipLen} bytes. */
    public int maxLength(int ipLen) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        return n + (parts.length - 1) * ipLen;
    }
}
