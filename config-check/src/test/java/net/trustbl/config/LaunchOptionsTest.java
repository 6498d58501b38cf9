package net.trustbl.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LaunchOptionsTest {

    @ConfigMapping(prefix = "app")
    interface AppConfig {
        int threshold();

        Duration delay();
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> config, String... args) {
        SmallRyeConfig source = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(config, "test", 100)).build();
        KnownKeys known = KnownKeys.fromMappings(AppConfig.class);
        return LaunchOptions.decide(args, "Usage: app [--help | --check-config]\n  more lines\n",
                () -> ConfigProblems.of(source, "app.", known, List.of(AppConfig.class)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void noArgumentsStartsTheApplication() {
        assertEquals(LaunchOptions.START, run(Map.of()));
    }

    @Test
    void helpPrintsTheMultiLineUsage() {
        assertEquals(0, run(Map.of(), "--help"));
        assertEquals("Usage: app [--help | --check-config]\n  more lines\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anUnknownOptionIsOneLineAndStatusTwo() {
        assertEquals(2, run(Map.of(), "--chek-config"));
        assertEquals("unknown option --chek-config (--help lists the options)\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void checkConfigPassesAValidConfiguration() {
        assertEquals(0, run(Map.of("app.threshold", "3", "app.delay", "5m"), "--check-config"), err.toString(StandardCharsets.UTF_8));
        assertEquals("configuration OK\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void checkConfigReportsUnknownKeysAndBadValues() {
        assertEquals(2, run(Map.of("app.threshold", "three", "app.delay", "5m", "app.treshold", "3"), "--check-config"));
        String problems = err.toString(StandardCharsets.UTF_8);
        assertTrue(problems.contains("unknown configuration key app.treshold (did you mean app.threshold?)"), problems);
        assertTrue(problems.contains("app.threshold"), problems);
        assertTrue(problems.lines().count() >= 2, problems);
    }
}
