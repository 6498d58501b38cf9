package net.trustbl.gateway.filter;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which recipient policy (gateway.recipients.policies.NAME.recipients) a recipient falls under.
 * It belongs to one configuration snapshot, so a session keeps the grouping it started with
 * while a reload installs another.
 */
public final class RecipientPolicies {

    public static final RecipientPolicies NONE = new RecipientPolicies(Map.of());

    /** Policy name → recipient patterns, by name so the first match is stable. */
    private final Map<String, List<String>> patterns;

    public RecipientPolicies(Map<String, List<String>> patterns) {
        this.patterns = new TreeMap<>(patterns);
    }

    /** Policy group of a recipient: the first configured policy (by name) whose pattern matches. */
    public String policyOf(String recipient) {
        for (Map.Entry<String, List<String>> e : patterns.entrySet()) {
            for (String pattern : e.getValue()) {
                if (Patterns.addressMatches(pattern, recipient)) {
                    return e.getKey();
                }
            }
        }
        return "default";
    }
}
