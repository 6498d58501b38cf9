package net.trustbl.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Random tokens and their hashes. */
public final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private Secrets() {
    }

    /** An API key: 192 random bits, URL-safe, with a recognisable prefix. */
    public static String newApiKey() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return "tbl_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /**
     * A lower-case base32 label, safe in DNS names and URLs. Starts with a letter so it never
     * looks like an IP octet in a query name.
     */
    public static String newLabel(int length) {
        char[] c = new char[length];
        for (int i = 0; i < length; i++) {
            c[i] = BASE32[RANDOM.nextInt(i == 0 ? 26 : 32)];
        }
        return new String(c);
    }

    /** A URL-safe one-time token (setup links, confirmations). */
    public static String newToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /**
     * SHA-256 hex. Right for high-entropy secrets (API keys, tokens): a slow hash adds nothing
     * when the secret cannot be guessed, and keys are checked on every request.
     */
    public static String sha256Hex(String s) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
