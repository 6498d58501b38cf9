package net.trustbl.rules;

import java.util.List;

/**
 * A member's own view of the list, served under its DNS query key.
 *
 * @param threshold own listing threshold (null = the network's)
 * @param allow     addresses/blocks never listed in this view
 * @param deny      addresses/blocks always listed in this view (answer 127.0.0.4)
 */
public record PersonalRules(Double threshold, List<String> allow, List<String> deny) {

    public static PersonalRules none() {
        return new PersonalRules(null, List.of(), List.of());
    }
}
