package net.trustbl.engine;

/** What a member says about an address: it sent spam, or it is a legitimate sender. */
public enum Verdict {
    SPAM, TRUSTED;

    public static Verdict parse(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "spam" -> SPAM;
            case "trusted" -> TRUSTED;
            default -> throw new IllegalArgumentException("verdict must be 'spam' or 'trusted'");
        };
    }
}
