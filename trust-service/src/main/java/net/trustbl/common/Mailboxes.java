package net.trustbl.common;

import java.util.Locale;

/**
 * One mailbox, however its address is spelled. Case, a "+tag" and (for Gmail, which ignores them)
 * dots in the local part each make another string but reach the same inbox, and googlemail.com is
 * gmail.com. Only "+" starts a tag: "-" is a real part of many local parts (first-last@…), and
 * dots are only dropped for Gmail, where the provider documents that they do not count.
 *
 * <p>Used wherever one inbox must count once: the delisting budgets per requester mailbox and the
 * one account per mailbox at registration ({@code member.email_canonical}; migration V73 fills that
 * column for the rows that existed before it with the same rules written in SQL).
 */
public final class Mailboxes {

    private Mailboxes() {
    }

    /** The canonical mailbox of {@code email}: lower case, no "+tag", no dots in a Gmail local part. */
    public static String canonical(String email) {
        String e = email.trim().toLowerCase(Locale.ROOT);
        int at = e.lastIndexOf('@');
        if (at <= 0) {
            return e;
        }
        String local = e.substring(0, at);
        String domain = e.substring(at + 1);
        int plus = local.indexOf('+');
        if (plus > 0) {
            local = local.substring(0, plus);
        }
        if (domain.equals("gmail.com") || domain.equals("googlemail.com")) {
            local = local.replace(".", "");
            domain = "gmail.com";
        }
        return local + "@" + domain;
    }
}
