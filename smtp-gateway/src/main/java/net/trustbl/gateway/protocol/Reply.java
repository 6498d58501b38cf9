package net.trustbl.gateway.protocol;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** One SMTP reply, possibly multi-line, as sent to the client or read from the downstream. */
public record Reply(int code, List<String> lines) {

    public static Reply of(int code, String status, String text) {
        return new Reply(code, List.of(status == null ? text : status + " " + text));
    }

    public boolean positive() {
        return code >= 200 && code < 400;
    }

    public boolean transientFailure() {
        return code >= 400 && code < 500;
    }

    public String firstLine() {
        return code + " " + (lines.isEmpty() ? "" : lines.get(0));
    }

    /** Wire form with CRLF after every line; text is made safe (printable ASCII, bounded). */
    public byte[] wire() {
        StringBuilder sb = new StringBuilder(64);
        for (int i = 0; i < lines.size(); i++) {
            sb.append(code).append(i == lines.size() - 1 ? ' ' : '-').append(safe(lines.get(i))).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Text from a DNS TXT record, a downstream or a service must not break the reply syntax. */
    static String safe(String text) {
        StringBuilder sb = new StringBuilder(Math.min(text.length(), 400));
        for (int i = 0; i < text.length() && sb.length() < 400; i++) {
            char c = text.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : ' ');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return String.join(" | ", lines.stream().map(l -> code + " " + l).toList());
    }
}
