package net.trustbl.common;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * The server's HMAC key for CSRF tokens and signed links (unsubscribe). It is kept in the
 * database so that links in mails keep working after a restart and across instances.
 */
@ApplicationScoped
public class WebSecret {

    private static final String NAME = "hmac";

    @Inject
    ServerSecretStore secrets;

    private volatile byte[] key;

    /** Base64url HMAC-SHA256 of {@code data} under the server key. */
    public String sign(String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(), "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Constant-time check of a signature made by {@link #sign}. */
    public boolean verify(String data, String signature) {
        if (signature == null || signature.isEmpty() || signature.length() > 100) {
            return false;
        }
        return MessageDigest.isEqual(sign(data).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII));
    }

    private byte[] key() {
        byte[] k = key;
        if (k == null) {
            synchronized (this) {
                if (key == null) {
                    key = load().getBytes(StandardCharsets.US_ASCII);
                }
                k = key;
            }
        }
        return k;
    }

    String load() {
        return secrets.getOrCreate(NAME, Secrets.newToken() + Secrets.newToken());
    }
}
