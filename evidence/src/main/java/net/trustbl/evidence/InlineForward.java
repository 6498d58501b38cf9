package net.trustbl.evidence;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.james.mime4j.dom.Body;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Header;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.SingleBody;

/**
 * Recognises a message that is somebody's inline forward of a spam (the mail client's plain
 * "Forward") rather than the spam itself. Its headers, Received lines included, are those of the
 * forwarder's own mail provider: walking them would report the forwarder's outbound relay (the
 * member's ISP, Gmail, or the member's own server), an innocent address, with the member's weight.
 *
 * <p>The signals:
 * <ul>
 *   <li><b>separator</b>: a forward separator line in the first text part (Gmail
 *       "---------- Forwarded message ---------", Outlook "-----Original Message-----" or a line of
 *       underscores, Thunderbird "-------- Forwarded Message --------" / "-------- Original Message
 *       --------", Apple Mail "Begin forwarded message:", and their German, French, Spanish, Dutch,
 *       Italian, Portuguese and Nordic versions) followed within {@link #HEADER_WINDOW} lines by a
 *       quoted "From:" line ("Von:", "De:", "Van:", "Da:", "Från:", ...);</li>
 *   <li><b>marker</b>: a Subject starting with Fwd:/Fw:/WG:/TR:/RV:/Doorst:/VS: (after [tags]
 *       and Re:), or an X-Forwarded-Message-Id header (Thunderbird);</li>
 *   <li><b>own</b>: From, Sender or Return-Path is one of the reporting member's own addresses.</li>
 * </ul>
 * <b>Rule:</b> separator and marker together, or own together with either of them, is a forward.
 * One signal alone never is: spam fakes "Fwd:" subjects and forwarded-looking bodies, and forges
 * the recipient's own address as From (extortion spam), so a spammer's raw message stays
 * reportable unless it fakes two of them at once; it is then refused with a reason, never filed
 * against the wrong address and never dropped silently. In-Reply-To and References are not used:
 * replies carry them as well, spam fakes them, and nothing in a forward lets us check that they
 * point to the forwarded original.
 *
 * <p>An attached message (depth ≥ 1) is what the member chose to attach, normally the spam
 * itself, and fake forwards ("Fwd: Invoice" over a made-up Gmail separator) are a common phishing
 * dress: there separator and marker together do not decide, only the member's own address with
 * either does (the member attached one of its own inline forwards, whose headers are its
 * provider's). Only that attachment is refused; the others of the submission are reported as usual.
 */
final class InlineForward {

    /** The refusal, for the member: what is wrong and what to do instead (fits a 550 reply). */
    static final String REFUSAL = "an inline forward: its headers are the forwarder's mail provider's, not the spammer's;"
            + " forward the spam as an attachment (or attach it saved as .eml)";

    /** Lines after a separator in which the quoted "From:" must appear (Thunderbird puts Subject and Date first). */
    static final int HEADER_WINDOW = 8;
    /** Bytes of the text part read: the separator of an inline forward is near the top. */
    static final int MAX_TEXT_BYTES = 64 * 1024;
    /** Parts visited while looking for the first text part. */
    private static final int MAX_PARTS = 100;
    private static final int MAX_DEPTH = 10;

    private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;

    /** "--- Forwarded message ---" and its kin: a phrase between runs of dashes (or '=', '*'). */
    private static final Pattern DASHED = Pattern.compile("^[-=*]{2,}\\s*(?:"
            + "forwarded message|original message"                               // Gmail, Thunderbird, Outlook
            + "|weitergeleitete nachricht|urspr(?:ü|ue)ngliche nachricht"          // German
            + "|message transf(?:é|e)r(?:é|e)|message d['’]origine"              // French
            + "|mensaje reenviado|mensaje original"                              // Spanish
            + "|doorgestuurd bericht|oorspronkelijk bericht"                     // Dutch
            + "|messaggio inoltrato|messaggio originale"                         // Italian
            + "|mensagem encaminhada|mensagem original"                          // Portuguese
            + "|vidarebefordrat meddelande|ursprungligt meddelande"              // Swedish
            + "|videresendt (?:meddelelse|melding)|oprindelig meddelelse|opprinnelig melding" // Danish, Norwegian
            + "|v(?:ä|a)litetty viesti|alkuper(?:ä|a)inen viesti"                // Finnish
            + ")\\s*[-=*]{2,}$", FLAGS);
    /** Outlook's rule above the quoted header block. */
    private static final Pattern UNDERSCORES = Pattern.compile("^_{20,}$");
    /** Apple Mail: "Begin forwarded message:" and its translations. */
    private static final Pattern APPLE = Pattern.compile("^(?:begin forwarded message"
            + "|anfang der weitergeleiteten nachricht|d(?:é|e)but du message r(?:é|e)exp(?:é|e)di(?:é|e)"
            + "|inicio del mensaje reenviado|begin doorgestuurd bericht|inizio messaggio inoltrato"
            + "|in(?:í|i)cio da mensagem reencaminhada|vidarebefordrat meddelande)\\s*:$", FLAGS);
    /** The quoted "From:" below a separator; Outlook's text rendering writes "*From:*". */
    private static final Pattern QUOTED_FROM = Pattern.compile(
            "^\\*?(?:from|von|de|van|da|fr(?:å|a)n|fra|l(?:ä|a)hett(?:ä|a)j(?:ä|a)|afzender|remetente)\\s*\\*?\\s*:", FLAGS);
    /** Forward prefixes of the Subject, after list or filter tags ("[SPAM] ") and reply prefixes. */
    private static final Pattern SUBJECT = Pattern.compile(
            "^\\s*(?:\\[[^\\]]{0,64}\\]\\s*)*(?:(?:re|aw|sv)\\s*:\\s*)*(?:fwd?|wg|tr|rv|doorst|vs)\\s*(?:\\[\\d{1,3}\\])?\\s*:",
            FLAGS);
    private static final Pattern ANGLE = Pattern.compile("<([^<>]*)>");
    private static final Pattern BARE_ADDRESS = Pattern.compile("[^\\s<>\",;:()\\[\\]]+@[^\\s<>\",;:()\\[\\]]+");
    private static final Pattern TAG = Pattern.compile("<[^>]{0,2000}>");

    private InlineForward() {
    }

    /** The addresses compared with From/Sender/Return-Path: trimmed, lower case, blanks dropped. */
    static Set<String> normalize(Collection<String> addresses) {
        if (addresses == null) {
            return Set.of();
        }
        return addresses.stream().filter(a -> a != null && a.contains("@"))
                .map(a -> a.trim().toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * True when the message is an inline forward by the rule above.
     *
     * @param attached the message is an attachment of the submission (depth ≥ 1), not the submission itself
     */
    static boolean isForward(Header header, Body body, Set<String> ownAddresses, boolean attached) {
        boolean marker = hasMarker(header);
        boolean own = fromOwnAddress(header, ownAddresses);
        if (!own && (attached || !marker)) {
            return false; // the body is not read: a separator alone never decides
        }
        boolean separator = hasSeparator(firstText(body, 0, new int[1]));
        return (separator && marker && !attached) || (own && (separator || marker));
    }

    static boolean hasMarker(Header header) {
        if (HeaderText.first(header, "X-Forwarded-Message-Id") != null) {
            return true;
        }
        String subject = HeaderText.decodeSubject(HeaderText.first(header, "Subject"));
        return SUBJECT.matcher(subject).find();
    }

    static boolean fromOwnAddress(Header header, Set<String> own) {
        if (own.isEmpty()) {
            return false;
        }
        for (String name : new String[] {"From", "Sender", "Return-Path"}) {
            for (String address : addresses(HeaderText.first(header, name))) {
                if (own.contains(address)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The addresses of a header value: inside angle brackets when there are any (a display name may look like one). */
    static List<String> addresses(String value) {
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        Matcher m = ANGLE.matcher(value);
        while (m.find()) {
            out.add(m.group(1).trim().toLowerCase(Locale.ROOT));
        }
        if (out.isEmpty()) {
            Matcher bare = BARE_ADDRESS.matcher(value);
            while (bare.find()) {
                out.add(bare.group().toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }

    /** A separator line followed within {@link #HEADER_WINDOW} lines by a quoted "From:". */
    static boolean hasSeparator(String text) {
        if (text == null || text.isEmpty()) {
            return false;
        }
        String[] lines = text.split("\r\n|\r|\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = unquote(lines[i]);
            if (!DASHED.matcher(line).matches() && !UNDERSCORES.matcher(line).matches()
                    && !APPLE.matcher(line).matches()) {
                continue;
            }
            for (int j = i + 1; j < lines.length && j <= i + HEADER_WINDOW; j++) {
                if (QUOTED_FROM.matcher(unquote(lines[j])).find()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The line without quoting ("> "), surrounding blanks and no-break spaces. */
    private static String unquote(String line) {
        String s = line.replace('\u00a0', ' ');
        // one pass over the leading '>' and blanks: a line of 64 KiB of '>' costs 64 Ki steps, not a copy each
        int start = 0;
        while (start < s.length() && (s.charAt(start) == '>' || Character.isWhitespace(s.charAt(start)))) {
            start++;
        }
        return s.substring(start).strip();
    }

    /**
     * The first text part that is not an attachment: text/plain, else text/html with the tags
     * turned into line breaks; null when there is none.
     */
    private static String firstText(Body body, int depth, int[] visited) {
        Entity plain = firstPart(body, depth, visited, "text/plain");
        if (plain != null) {
            return read(plain);
        }
        Entity html = firstPart(body, depth, new int[1], "text/html");
        String text = html == null ? null : read(html);
        return text == null ? null : TAG.matcher(text.replaceAll("(?i)&nbsp;", " ")).replaceAll("\n");
    }

    private static Entity firstPart(Body body, int depth, int[] visited, String type) {
        if (body == null || depth > MAX_DEPTH || ++visited[0] > MAX_PARTS) {
            return null;
        }
        Entity entity = body.getParent();
        if (body instanceof Multipart mp) {
            for (Entity e : mp.getBodyParts()) {
                Entity found = firstPart(e.getBody(), depth + 1, visited, type);
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        if (entity == null || !(body instanceof SingleBody)
                || "attachment".equalsIgnoreCase(entity.getDispositionType())) {
            return null;
        }
        return type.equalsIgnoreCase(entity.getMimeType()) ? entity : null;
    }

    private static String read(Entity part) {
        if (!(part.getBody() instanceof SingleBody sb)) {
            return null;
        }
        byte[] bytes;
        try (InputStream in = sb.getInputStream()) {
            bytes = in.readNBytes(MAX_TEXT_BYTES);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        String charset = part.getCharset();
        try {
            if (charset != null && !charset.equalsIgnoreCase("us-ascii") && !charset.equalsIgnoreCase("utf-8")
                    && Charset.isSupported(charset)) {
                return new String(bytes, Charset.forName(charset));
            }
        } catch (RuntimeException e) {
            // an illegal charset name: read it as the headers are read
        }
        return HeaderText.decode8bit(bytes);
    }
}
