package net.trustbl.engine.simulate;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads a scenario from a file path or by the name of a bundled scenario. */
public final class ScenarioLoader {

    /** The scenarios shipped in the jar (resources/scenarios/NAME.json). */
    public static final List<String> BUNDLED = List.of("baseline", "careless", "big-providers", "sybil-flood",
            "turncoat-ring", "snowshoe", "no-positive-reports", "sleeper", "pile-on", "vouch-shield", "volume-inflation",
            "careless-majority", "sparse-community", "new-server", "neighbourhood");

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private ScenarioLoader() {
    }

    public static Scenario load(String nameOrPath) throws IOException {
        Path p = Path.of(nameOrPath);
        if (Files.isRegularFile(p)) {
            try (InputStream in = Files.newInputStream(p)) {
                return validate(JSON.readValue(in, Scenario.class));
            }
        }
        String name = nameOrPath.endsWith(".json") ? nameOrPath.substring(0, nameOrPath.length() - 5) : nameOrPath;
        try (InputStream in = ScenarioLoader.class.getResourceAsStream("/scenarios/" + name + ".json")) {
            if (in == null) {
                throw new IOException("no scenario file and no bundled scenario named '" + nameOrPath
                        + "' (bundled: " + String.join(", ", BUNDLED) + ")");
            }
            return validate(JSON.readValue(in, Scenario.class));
        }
    }

    static Scenario validate(Scenario s) {
        require(s.days > 0 && s.days <= 366, "days must be in (0, 366]");
        require(s.warmupDays >= 0 && s.warmupDays < s.days, "warmupDays must be in [0, days)");
        require(s.stepMinutes >= 1 && s.stepMinutes <= 1440, "stepMinutes must be 1..1440");
        require(s.trafficEveryMinutes >= s.stepMinutes && s.trafficEveryMinutes % s.stepMinutes == 0,
                "trafficEveryMinutes must be a multiple of stepMinutes");
        require(s.days * 1440 / s.stepMinutes <= 200_000, "too many steps (days / stepMinutes)");
        for (Scenario.SenderGroup g : s.senders) {
            require(g.count >= 0 && g.count <= 100_000, "sender count must be 0..100000");
            require(g.addressesPerNetwork >= 1 && g.addressesPerNetwork <= 254, "addressesPerNetwork must be 1..254");
            require(g.spamShare >= 0 && g.spamShare <= 1, "spamShare must be 0..1");
            require(g.messagesPerHour >= 0 && g.messagesPerHour <= 1e7, "messagesPerHour must be 0..1e7");
            require(g.activeHoursPerDay > 0 && g.activeHoursPerDay <= 24, "activeHoursPerDay must be in (0, 24]");
            require(g.lifetimeHours >= 0, "lifetimeHours must be >= 0");
        }
        for (Scenario.MemberGroup g : s.members) {
            require(g.count >= 0 && g.count <= 1_000_000, "member count must be 0..1000000");
        }
        for (Scenario.Attack a : s.attacks) {
            require(a.accounts >= 0 && a.accounts <= 1_000_000 && a.targets >= 0, "attack accounts/targets out of range");
            require(a.prewarmDays >= 0 && a.prewarmDays <= 365, "attack prewarmDays must be 0..365");
        }
        return s;
    }

    private static void require(boolean ok, String rule) {
        if (!ok) {
            throw new IllegalArgumentException("scenario: " + rule);
        }
    }
}
