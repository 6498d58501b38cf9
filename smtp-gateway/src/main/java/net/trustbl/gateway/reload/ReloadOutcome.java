package net.trustbl.gateway.reload;

import java.time.Instant;
import java.util.List;

/**
 * What one reload did: the JSON answer of POST /console/reload and the content of its log line.
 *
 * @param applied      whether a new configuration is now in use (false: the old one stays)
 * @param trigger      file change, SIGHUP or console
 * @param files        the operator files read
 * @param changed      gateway.* keys (and files) whose new values are in use
 * @param needsRestart keys whose change waits for a restart (the start values stay)
 * @param problems     why nothing was applied, each with file and line where known
 */
public record ReloadOutcome(boolean applied, Instant at, String trigger, List<String> files, List<String> changed,
                            List<String> needsRestart, List<String> problems) {

    static ReloadOutcome refused(String trigger, List<String> files, List<String> problems) {
        return new ReloadOutcome(false, Instant.now(), trigger, files, List.of(), List.of(), List.copyOf(problems));
    }
}
