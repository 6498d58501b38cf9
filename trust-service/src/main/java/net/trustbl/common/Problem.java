package net.trustbl.common;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * RFC 9457 problem details. {@code field} and {@code rule} name the offending input and the rule
 * it broke, so that a script can tell its user exactly what to fix.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String field, String rule,
                      Integer index) {

    public static final String MEDIA_TYPE = "application/problem+json";
}
