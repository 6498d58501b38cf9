package net.trustbl.gateway.reload;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import net.trustbl.config.KnownKeys;
import net.trustbl.gateway.config.GatewayConfig;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds configuration snapshots from the sources the gateway started with, with the operator's
 * files (config/application.properties in the working directory and the files of
 * quarkus.config.locations) read afresh. Environment variables and -D options stay as they were
 * at start: only files can change under a running process.
 */
final class ConfigSnapshots {

    private static final Pattern FILE_SOURCE = Pattern.compile("(file:[^\\]\\s]+)");

    private final List<ConfigSource> startSources;
    private final List<String> profiles;
    /** The source of each watched file (by its absolute path), to be replaced on reload. */
    private final Map<Path, ConfigSource> watched = new LinkedHashMap<>();
    /** Values of the restart-only keys at start: every snapshot keeps them. */
    private final Map<String, String> pinned;

    /** The mapping's keys without a map key or index: asked by name, so values from environment variables count too. */
    private final List<String> plainKeys;

    ConfigSnapshots(Config running, KnownKeys known) {
        plainKeys = known.names().stream().filter(k -> !k.contains("*")).toList();
        startSources = new ArrayList<>();
        running.getConfigSources().forEach(startSources::add);
        profiles = running instanceof SmallRyeConfig s ? s.getProfiles() : List.of();
        Set<Path> operatorFiles = operatorFiles(running);
        for (ConfigSource source : startSources) {
            Path path = filePath(source);
            if (path != null && operatorFiles.stream().anyMatch(path::startsWith)) {
                watched.put(path, source);
            }
        }
        pinned = new TreeMap<>();
        gatewayValues(running).forEach((k, v) -> {
            if (RestartKeys.needsRestart(k)) {
                pinned.put(k, v);
            }
        });
    }

    /** config/application.properties of the working directory and every quarkus.config.locations entry. */
    private static Set<Path> operatorFiles(Config running) {
        Set<Path> files = new HashSet<>();
        files.add(Path.of("config", "application.properties").toAbsolutePath().normalize());
        running.getOptionalValues("quarkus.config.locations", String.class).orElse(List.of()).forEach(location -> {
            String l = location.trim();
            files.add((l.startsWith("file:") ? Path.of(URI.create(l)) : Path.of(l)).toAbsolutePath().normalize());
        });
        return files;
    }

    private static Path filePath(ConfigSource source) {
        Matcher m = FILE_SOURCE.matcher(String.valueOf(source.getName()));
        if (!m.find()) {
            return null;
        }
        try {
            return Path.of(URI.create(m.group(1))).toAbsolutePath().normalize();
        } catch (RuntimeException e) {
            return null; // not a plain file URI: not an operator file
        }
    }

    List<Path> watchedFiles() {
        return List.copyOf(watched.keySet());
    }

    /** The start sources with each watched file's source replaced by its fresh content. */
    List<ConfigSource> withFiles(Map<Path, PropertiesFile> files) {
        List<ConfigSource> sources = new ArrayList<>();
        for (ConfigSource source : startSources) {
            Path path = filePath(source);
            PropertiesFile fresh = path == null || !watched.containsKey(path) ? null : files.get(path);
            sources.add(fresh == null ? source : new PropertiesConfigSource(fresh.values(), source.getName(), source.getOrdinal()));
        }
        return sources;
    }

    /** The configuration as the files now say, restart-only keys included: for the diff and the unknown-key check. */
    SmallRyeConfig plain(List<ConfigSource> sources) {
        return builder(sources).build();
    }

    /**
     * The typed configuration a reload installs: restart-only keys keep their start values.
     *
     * @throws io.smallrye.config.ConfigValidationException listing every value the mapping cannot take
     */
    GatewayConfig mapped(List<ConfigSource> sources) {
        List<ConfigSource> hidden = new ArrayList<>();
        sources.forEach(s -> hidden.add(new WithoutRestartKeys(s)));
        hidden.add(new PropertiesConfigSource(pinned, "gateway keys that need a restart (values at start)", Integer.MAX_VALUE));
        return builder(hidden).withMapping(GatewayConfig.class).build().getConfigMapping(GatewayConfig.class);
    }

    Map<String, String> pinned() {
        return pinned;
    }

    private SmallRyeConfigBuilder builder(List<ConfigSource> sources) {
        return new SmallRyeConfigBuilder().withSources(sources).addDefaultInterceptors()
                .withProfiles(profiles)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(MemorySize.class, 200, new MemorySizeConverter())
                .withValidateUnknown(false);
    }

    /**
     * Every gateway.* key with a value, profile resolved ("%test.gateway.x" is read as gateway.x);
     * GATEWAY_DATA_DIR and the like count under their key.
     */
    Map<String, String> gatewayValues(Config config) {
        Map<String, String> values = new TreeMap<>();
        List<String> names = new ArrayList<>(plainKeys);
        config.getPropertyNames().forEach(names::add);
        for (String name : names) {
            String key = RestartKeys.withoutProfile(name);
            if (key.startsWith("gateway.") && !values.containsKey(key)) {
                try {
                    config.getOptionalValue(key, String.class).ifPresent(v -> values.put(key, v));
                } catch (RuntimeException e) {
                    values.put(key, "(unresolvable: " + e.getMessage() + ")");
                }
            }
        }
        return values;
    }

    /** A source seen without the restart-only keys, so the pinned start values win whatever the files say. */
    private record WithoutRestartKeys(ConfigSource source) implements ConfigSource {
        @Override
        public Set<String> getPropertyNames() {
            Set<String> names = new HashSet<>(source.getPropertyNames());
            names.removeIf(RestartKeys::needsRestart);
            return names;
        }

        @Override
        public String getValue(String name) {
            return RestartKeys.needsRestart(name) ? null : source.getValue(name);
        }

        @Override
        public String getName() {
            return source.getName();
        }

        @Override
        public int getOrdinal() {
            return source.getOrdinal();
        }
    }
}
