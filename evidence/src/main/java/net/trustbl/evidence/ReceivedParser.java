package net.trustbl.evidence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import net.trustbl.address.IpBlock;

/**
 * Reads one unfolded Received value into a {@link ReceivedHop}. Knows the shapes written by
 * the common MTAs; the differences matter because the HELO name may itself be an address
 * literal that the sender chose, and must never be taken for the connecting address:
 * <pre>
 * Postfix/Sendmail/Gmail  from HELO (RDNS [IP])            rdns "unknown" = none; Gmail "rdns."
 * Sendmail unverified     from HELO (RDNS [IP] (may be forged))   rdns not trusted
 * Exim                    from RDNS ([IP]:port helo=HELO)  or  from [IP] (helo=HELO)
 *                         or  from RDNS ([IP])  when HELO = RDNS (told apart from Sendmail's
 *                         "from HELO ([IP])" by the "(Exim x.y)" in the line)
 * qmail                   from RDNS (HELO helo) (ident@IP)  rdns unverified = none
 * Yahoo                   from IP (EHLO helo) by ...
 * Microsoft Exchange/O365 from HELO (IP) by NAME (IP) with Microsoft SMTP Server ...
 * </pre>
 */
final class ReceivedParser {

    private static final Set<String> CLAUSE_WORDS = Set.of("by", "via", "with", "id", "for");
    /** "from" names that mean a local program or socket handed the message over. */
    private static final Set<String> LOCAL_NAMES = Set.of("localhost", "userid", "[unix", "local", "uid", "[local]");

    private static final Set<String> AUTHENTICATED_PROTOCOLS = Set.of("ESMTPA", "ESMTPSA", "LMTPA", "LMTPSA",
            "UTF8SMTPA", "UTF8SMTPSA", "UTF8LMTPA", "UTF8LMTPSA");

    private ReceivedParser() {
    }

    private record Token(boolean comment, String text) {
    }

    static ReceivedHop parse(int position, String value) {
        String s = value == null ? "" : value;
        int semi = lastTopLevelSemicolon(s);
        Instant time = semi >= 0 ? HeaderText.parseDate(s.substring(semi + 1)) : null;
        String main = semi >= 0 ? s.substring(0, semi) : s;
        List<Token> tokens = tokenize(main);
        if (tokens.isEmpty()) {
            return malformed(position, time, "empty Received header");
        }
        Token first = tokens.get(0);
        if (first.comment()) {
            // qmail "(qmail 123 invoked by uid 0)" and friends: a local step, nobody handed anything over
            return new ReceivedHop(position, ReceivedHop.Kind.LOCAL, null, null, null, null, null, time, null, true, false);
        }
        String keyword = first.text().toLowerCase(Locale.ROOT);
        int byAt = indexOfWord(tokens, "by", 0);
        String byName = null;
        IpBlock byAddress = null;
        if (byAt >= 0) {
            int end = nextClause(tokens, byAt + 1);
            for (int i = byAt + 1; i < end; i++) {
                Token t = tokens.get(i);
                if (!t.comment() && byName == null) {
                    byName = hostText(t.text());
                } else if (t.comment() && byAddress == null) {
                    byAddress = firstAddress(t.text());
                }
            }
        }
        if (keyword.equals("by")) {
            return new ReceivedHop(position, ReceivedHop.Kind.LOCAL, null, null, null, byName, byAddress, time, null, true, false);
        }
        if (!keyword.equals("from")) {
            return malformed(position, time, "Received header #" + position + " does not start with 'from' or 'by'");
        }
        int end = nextClause(tokens, 1);
        String name = null;
        List<String> comments = new ArrayList<>();
        for (int i = 1; i < end; i++) {
            Token t = tokens.get(i);
            if (t.comment()) {
                comments.add(t.text());
            } else if (name == null) {
                name = t.text();
            }
        }
        boolean exim = main.contains("(Exim ");
        String protocol = protocol(tokens);
        return fromClause(position, name, comments, byName, byAddress, time, exim, isAuthenticated(tokens, protocol),
                protocol.startsWith("LMTP"));
    }

    /** The word after "with" (ESMTP, ESMTPSA, LMTP, SMTP, ...), upper case; "" when none. */
    private static String protocol(List<Token> tokens) {
        int with = indexOfWord(tokens, "with", 0);
        if (with >= 0 && with + 1 < tokens.size() && !tokens.get(with + 1).comment()) {
            return tokens.get(with + 1).text().toUpperCase(Locale.ROOT);
        }
        return "";
    }

    /** RFC 3848 "with ESMTPA/ESMTPSA/LMTPA..." or Postfix's "(Authenticated sender: ...)". */
    private static boolean isAuthenticated(List<Token> tokens, String protocol) {
        if (AUTHENTICATED_PROTOCOLS.contains(protocol)) {
            return true;
        }
        for (Token t : tokens) {
            if (t.comment() && t.text().regionMatches(true, 0, "Authenticated sender:", 0, 21)) {
                return true;
            }
        }
        return false;
    }

    private static ReceivedHop fromClause(int position, String name, List<String> comments, String byName,
                                          IpBlock byAddress, Instant time, boolean exim, boolean authenticated,
                                          boolean lmtp) {
        String helo = null;
        String rdns = null;
        IpBlock address = null;
        String eximComment = null;
        String qmailHelo = null;
        boolean rdnsRecorded = true;
        for (String c : comments) {
            String lc = c.toLowerCase(Locale.ROOT);
            if (eximComment == null && (lc.startsWith("helo=") || lc.contains(" helo=") || exim && lc.startsWith("["))) {
                eximComment = c;
            } else if (qmailHelo == null && (lc.startsWith("helo ") || lc.startsWith("ehlo "))) {
                qmailHelo = c.substring(5).trim();
            }
        }
        boolean nameIsLiteral = name != null && name.startsWith("[");
        if (eximComment != null) {
            // Exim: the name is the verified reverse DNS (or the address literal when there is none)
            helo = wordAfter(eximComment, "helo=");
            String withoutHelo = eximComment.replaceAll("(?i)(helo|ident)=\\S+", " ");
            address = bracketedAddress(withoutHelo);
            if (address == null && nameIsLiteral) {
                address = parseAddress(name);
            }
            rdns = nameIsLiteral ? null : hostText(name);
            if (helo == null) {
                helo = name; // Exim leaves helo= out when it equals the name
            }
        } else if (qmailHelo != null) {
            helo = qmailHelo;
            for (String c : comments) {
                if (!c.regionMatches(true, 0, "helo ", 0, 5) && !c.regionMatches(true, 0, "ehlo ", 0, 5)) {
                    address = firstAddress(c);
                    if (address != null) {
                        break;
                    }
                }
            }
            if (address == null && name != null) {
                address = parseAddress(name); // Yahoo: "from 45.1.2.3 (EHLO name) by ..."
                if (address != null) {
                    name = "unknown";
                    rdnsRecorded = false;
                }
            }
            // qmail's name is whatever tcpserver looked up, never checked forward (unlike Postfix or
            // Exim), so the sender controls it: like Sendmail's "(may be forged)" it is no rDNS
            rdns = null;
        } else {
            // Postfix, Sendmail, Gmail, Microsoft: the name is the HELO; the comment holds what the receiver saw
            helo = name;
            Seen seen = seenInComments(comments);
            address = seen.address();
            rdns = seen.rdns();
            rdnsRecorded = seen.rdnsRecorded();
            if (address == null && name != null) {
                address = parseAddress(name); // "from [45.1.2.3] by ..." with nothing else said
                rdnsRecorded = false;
            }
        }
        helo = helo == null ? null : cleanName(helo);
        if (address == null) {
            String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
            // LMTP is the last step into the mailbox store (Dovecot, Cyrus), often written without an address
            if (LOCAL_NAMES.contains(n) || lmtp || n.isEmpty() && comments.isEmpty()) {
                return new ReceivedHop(position, ReceivedHop.Kind.LOCAL, null, helo, null, byName, byAddress, time, null, true, false);
            }
            // the name is kept only when the writer recorded nothing else (an internal hand-off the walk
            // may pass when it is a registered mail host); beside a comment we could not read it is just
            // the sender's HELO, and a registered one must not carry the trust past an unread address
            String kept = comments.isEmpty() ? helo : null;
            return new ReceivedHop(position, ReceivedHop.Kind.MALFORMED, null, kept, null, byName, byAddress, time,
                    "Received header #" + position + " names no sender address in its 'from' part", true, false);
        }
        return new ReceivedHop(position, ReceivedHop.Kind.HANDOVER, address, helo, rdns, byName, byAddress, time, null,
                rdnsRecorded, authenticated);
    }

    /** What the receiver saw of the client, as a Postfix-style comment records it. */
    private record Seen(IpBlock address, String rdns, boolean rdnsRecorded) { }

    /** The first comment naming the client: "(rdns [address])" (Postfix, Sendmail, Gmail) or "(address)" (Microsoft). */
    private static Seen seenInComments(List<String> comments) {
        for (String c : comments) {
            int lb = bracketedAddressAt(c);
            if (lb >= 0) {
                String before = c.substring(0, lb).trim();
                int sp = before.lastIndexOf(' ');
                String word = sp >= 0 ? before.substring(sp + 1) : before;
                int atSign = word.lastIndexOf('@'); // sendmail IDENT: user@host
                word = atSign >= 0 ? word.substring(atSign + 1) : word;
                boolean forged = c.toLowerCase(Locale.ROOT).contains("may be forged");
                String rdns = !word.isEmpty() && !forged && !"unknown".equalsIgnoreCase(word) ? hostText(word) : null;
                return new Seen(parseAddress(c.substring(lb)), rdns, true);
            }
            IpBlock a = bareAddress(c);
            if (a != null) {
                return new Seen(a, null, false); // Microsoft: "(45.1.2.3)", no reverse DNS recorded
            }
        }
        return new Seen(null, null, true);
    }

    private static ReceivedHop malformed(int position, Instant time, String problem) {
        return new ReceivedHop(position, ReceivedHop.Kind.MALFORMED, null, null, null, null, null, time, problem, true, false);
    }

    /** The semicolon before the date, outside comments (comments may contain ';' themselves). */
    private static int lastTopLevelSemicolon(String s) {
        int[] found = {-1};
        HeaderText.forEachOutsideComments(s, i -> {
            if (s.charAt(i) == ';') {
                found[0] = i;
            }
        });
        return found[0];
    }

    /** Words and (comments); a comment keeps its nested parentheses; an unclosed one runs to the end. */
    private static List<Token> tokenize(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n && out.size() < 200) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                i++;
            } else if (c == '(') {
                int depth = 0;
                int start = i + 1;
                int j = i;
                for (; j < n; j++) {
                    char d = s.charAt(j);
                    if (d == '\\') {
                        j++;
                    } else if (d == '(') {
                        depth++;
                    } else if (d == ')') {
                        depth--;
                        if (depth == 0) {
                            break;
                        }
                    }
                }
                out.add(new Token(true, s.substring(start, Math.min(j, n)).trim()));
                i = j + 1;
            } else {
                int j = i;
                while (j < n && " \t\r\n(".indexOf(s.charAt(j)) < 0) {
                    j++;
                }
                out.add(new Token(false, s.substring(i, j)));
                i = j;
            }
        }
        return out;
    }

    private static int indexOfWord(List<Token> tokens, String word, int from) {
        for (int i = from; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (!t.comment() && t.text().equalsIgnoreCase(word)) {
                return i;
            }
        }
        return -1;
    }

    private static int nextClause(List<Token> tokens, int from) {
        for (int i = from; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (!t.comment() && CLAUSE_WORDS.contains(t.text().toLowerCase(Locale.ROOT))) {
                return i;
            }
        }
        return tokens.size();
    }

    private static String wordAfter(String text, String key) {
        int at = text.toLowerCase(Locale.ROOT).indexOf(key);
        if (at < 0) {
            return null;
        }
        int start = at + key.length();
        int end = start;
        while (end < text.length() && !Character.isWhitespace(text.charAt(end)) && text.charAt(end) != ')') {
            end++;
        }
        return end > start ? text.substring(start, end) : null;
    }

    /** The first [address literal] in the text that parses; null when none. */
    private static IpBlock bracketedAddress(String text) {
        int at = bracketedAddressAt(text);
        return at < 0 ? null : parseAddress(text.substring(at));
    }

    /** Where the first [address literal] that parses starts; -1 when none. */
    private static int bracketedAddressAt(String text) {
        int from = 0;
        for (int guard = 0; guard < 10; guard++) {
            int lb = text.indexOf('[', from);
            if (lb < 0) {
                return -1;
            }
            int rb = text.indexOf(']', lb + 1);
            if (rb < 0) {
                return -1;
            }
            if (parseAddress(text.substring(lb + 1, rb)) != null) {
                return lb;
            }
            from = rb + 1;
        }
        return -1;
    }

    /** A comment that is just an address (or starts with one): Microsoft, and qmail's "(ident@address)". */
    private static IpBlock bareAddress(String comment) {
        String c = comment.trim();
        int sp = c.indexOf(' ');
        String word = sp >= 0 ? c.substring(0, sp) : c;
        int at = word.lastIndexOf('@');
        return parseAddress(at >= 0 ? word.substring(at + 1) : word);
    }

    private static IpBlock firstAddress(String comment) {
        IpBlock a = bracketedAddress(comment);
        return a != null ? a : bareAddress(comment);
    }

    /**
     * One address from a literal: "[45.1.2.3]", "IPv6:2a01::1", "fe80::1%5", "::ffff:45.1.2.3";
     * IPv4-mapped IPv6 becomes the IPv4 address. Null when it is no single address.
     */
    static IpBlock parseAddress(String text) {
        if (text == null) {
            return null;
        }
        String s = text.trim();
        if (s.startsWith("[")) {
            int rb = s.indexOf(']');
            s = rb > 0 ? s.substring(1, rb) : s.substring(1);
        }
        if (s.regionMatches(true, 0, "IPv6:", 0, 5)) {
            s = s.substring(5);
        }
        int zone = s.indexOf('%');
        if (zone >= 0) {
            s = s.substring(0, zone);
        }
        if (s.isEmpty() || s.length() > 45 || s.indexOf('/') >= 0) {
            return null;
        }
        char c0 = s.charAt(0);
        if (!(Character.isDigit(c0) || c0 == ':' || (c0 >= 'a' && c0 <= 'f') || (c0 >= 'A' && c0 <= 'F'))) {
            return null;
        }
        if (s.indexOf(':') < 0 && s.indexOf('.') < 0) {
            return null; // a hex word like "beef" is no address
        }
        try {
            IpBlock b = IpBlock.parse(s);
            if (b.isV6() && b.hi() == 0 && (b.lo() >>> 32) == 0xffffL) {
                return IpBlock.ofV4((int) b.lo(), 32);
            }
            return b;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A host name as recorded: trailing dot gone (Gmail writes "host.example."), bounded. */
    private static String hostText(String word) {
        if (word == null) {
            return null;
        }
        String w = word.endsWith(".") ? word.substring(0, word.length() - 1) : word;
        return w.isEmpty() ? null : cleanName(w);
    }

    /**
     * HELO and rDNS end up on a public page: printable ASCII only, at most 255 characters.
     * Anything else is replaced, so a hostile HELO cannot smuggle markup or control bytes.
     */
    static String cleanName(String s) {
        int n = Math.min(s.length(), 255);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || ".-_:[]".indexOf(c) >= 0;
            sb.append(ok ? c : '?');
        }
        return sb.length() == 0 ? null : sb.toString();
    }
}
