package net.trustbl.gateway.filter;

/**
 * What a filter decided. CONTINUE lets the next filter run; ACCEPT ends the chain for this stage
 * with success (allow lists); REJECT, TEMPFAIL and DISCONNECT end it with an SMTP reply; TAG adds
 * a header (and an optional subject prefix) and lets the chain go on.
 */
public record Verdict(Kind kind, int code, String status, String text, String header, String subjectPrefix) {

    public enum Kind { CONTINUE, ACCEPT, REJECT, TEMPFAIL, TAG, DISCONNECT }

    public static final Verdict CONTINUE = new Verdict(Kind.CONTINUE, 0, null, null, null, null);
    public static final Verdict ACCEPT = new Verdict(Kind.ACCEPT, 0, null, null, null, null);

    public static Verdict reject(int code, String status, String text) {
        return new Verdict(Kind.REJECT, code, status, text, null, null);
    }

    public static Verdict tempfail(int code, String status, String text) {
        return new Verdict(Kind.TEMPFAIL, code, status, text, null, null);
    }

    /** The client is answered and the connection closed (554 at connect, 421 on overload). */
    public static Verdict disconnect(int code, String status, String text) {
        return new Verdict(Kind.DISCONNECT, code, status, text, null, null);
    }

    /**
     * The recipient is taken here with this reply and not passed on to the downstream (a spam trap
     * is answered 250 so that the sender sends the message that then fails as a whole).
     */
    public static Verdict acceptHere(int code, String status, String text) {
        return new Verdict(Kind.ACCEPT, code, status, text, null, null);
    }

    /** header is a full "Name: value" line without CRLF. */
    public static Verdict tag(String header, String subjectPrefix) {
        return new Verdict(Kind.TAG, 0, null, null, header, subjectPrefix);
    }

    /** True when the chain stops here. */
    public boolean stopsChain() {
        return kind != Kind.CONTINUE && kind != Kind.TAG;
    }

    public String label() {
        return kind.name().toLowerCase();
    }
}
