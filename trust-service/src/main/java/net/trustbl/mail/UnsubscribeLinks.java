package net.trustbl.mail;

import net.trustbl.common.WebSecret;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The opt-out link in every weekly mail: signed with the server key, so it works without logging
 * in and only for the member it was made for (the page that honours it is {@code ui.AccountPages}).
 */
public final class UnsubscribeLinks {

    private UnsubscribeLinks() {
    }

    public static String link(WebSecret secret, String baseUrl, long memberId) {
        return baseUrl + "/unsubscribe?m=" + memberId + "&sig=" + URLEncoder.encode(secret.sign(signed(Long.toString(memberId))), StandardCharsets.UTF_8);
    }

    /** Whether {@code sig} is this server's signature for member {@code member} (digits only). */
    public static boolean valid(WebSecret secret, String member, String sig) {
        return member != null && member.matches("\\d{1,18}") && secret.verify(signed(member), sig);
    }

    private static String signed(String memberId) {
        return "unsubscribe:" + memberId;
    }
}
