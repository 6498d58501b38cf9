package net.trustbl.config;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code --check-config} reports: unknown keys under the application's prefix, then every
 * value its {@code @ConfigMapping} interfaces cannot take (a word where a number belongs, a bad
 * duration, a missing required key), read from the same sources the application would read.
 */
public final class ConfigProblems {

    private ConfigProblems() {
    }

    public static List<String> of(Config config, String prefix, KnownKeys known, List<Class<?>> mappings) {
        List<String> problems = new ArrayList<>(UnknownKeys.problems(config, prefix, known));
        List<ConfigSource> sources = new ArrayList<>();
        config.getConfigSources().forEach(sources::add);
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder().withSources(sources).addDefaultInterceptors()
                .withProfile(config.getOptionalValue("quarkus.profile", String.class).orElse("prod"))
                .withConverter(Duration.class, 200, new DurationConverter())
                .withValidateUnknown(false);
        mappings.forEach(builder::withMapping);
        try {
            builder.build();
        } catch (ConfigValidationException e) {
            for (int i = 0; i < e.getProblemCount(); i++) {
                problems.add(e.getProblem(i).getMessage());
            }
        } catch (RuntimeException e) {
            problems.add(String.valueOf(e.getMessage()));
        }
        return problems;
    }
}
