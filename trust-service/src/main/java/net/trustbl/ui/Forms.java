package net.trustbl.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Small helpers for form input. */
final class Forms {

    static final Pattern EMAIL = Pattern.compile("^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$");

    private Forms() {
    }

    /** Non-empty lines without comments (# …), trimmed. */
    static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        for (String l : text.split("\\r?\\n|\\r")) {
            int hash = l.indexOf('#');
            String t = (hash >= 0 ? l.substring(0, hash) : l).trim();
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }

    static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
