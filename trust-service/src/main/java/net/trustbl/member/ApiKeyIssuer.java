package net.trustbl.member;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import net.trustbl.common.ProblemException;
import net.trustbl.common.Secrets;

import java.time.Instant;
import java.util.List;

/** Makes API keys, full or scoped: one place for the label rules, the per-member cap and the hashing. */
@ApplicationScoped
public class ApiKeyIssuer {

    static final int MAX_ACTIVE_KEYS = 50;
    static final int MAX_LABEL = 100;

    /** A new key: the secret is returned here and never again. {@code scope} null = full member key. */
    public record NewKey(long id, String key, String label, KeyScope scope) { }

    @Transactional
    public NewKey issue(long memberId, String label, KeyScope scope) {
        String l = label == null ? "" : label.trim();
        if (l.isEmpty()) {
            l = scope == null ? "key" : scope.wireName();
        }
        if (l.length() > MAX_LABEL) {
            throw ProblemException.invalid("label", "max-length", "label must have at most " + MAX_LABEL + " characters");
        }
        if (ApiKey.count("memberId = ?1 and revokedAt is null", memberId) >= MAX_ACTIVE_KEYS) {
            throw ProblemException.invalid("label", "max-keys",
                    "at most " + MAX_ACTIVE_KEYS + " active keys per member; revoke one first");
        }
        String secret = Secrets.newApiKey();
        ApiKey k = new ApiKey();
        k.memberId = memberId;
        k.label = l;
        k.keyHash = Secrets.sha256Hex(secret);
        k.keyPrefix = secret.substring(0, 10);
        k.createdAt = Instant.now();
        k.scope = scope == null ? null : scope.wireName();
        k.persist();
        return new NewKey(k.id, secret, l, scope);
    }

    /** Every scoped key, whichever admin made it (the operator's machines), newest first. */
    @Transactional
    public List<ApiKey> scopedKeys() {
        return ApiKey.list("scope is not null order by id desc");
    }
}
