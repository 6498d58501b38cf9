package net.trustbl.configcheck;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import net.trustbl.common.TrustBlConfig;
import net.trustbl.config.KnownKeys;
import net.trustbl.config.UnknownKeys;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The start-up check of trustbl.* keys (TrustBlMain): typos stop the service, shipped keys do not. */
class ServiceConfigKeysTest {

    private final KnownKeys known = ServiceConfigKeys.known();

    @Test
    void aMisspelledReportRateStopsStartUpNamingTheRealKey() {
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultSources()
                .withSources(new PropertiesConfigSource(Map.of("trustbl.reports.rate-per-secnd", "5"), "-D", 400))
                .build();
        assertEquals(List.of("unknown configuration key trustbl.reports.rate-per-secnd"
                        + " (did you mean trustbl.reports.rate-per-second?)"),
                UnknownKeys.problems(config, "trustbl.", known));
    }

    @Test
    void everyKeyOfTheShippedApplicationPropertiesIsKnownInEveryProfile() throws IOException {
        Properties shipped = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
            shipped.load(in);
        }
        List<String> names = new ArrayList<>();
        for (String name : shipped.stringPropertyNames()) {
            names.add(name.startsWith("%") ? name.substring(name.indexOf('.') + 1) : name);
        }
        assertEquals(List.of(), UnknownKeys.problems(names, "trustbl.", known));
    }

    @Test
    void theDnsResponderKeysAndTheMappedKeysAreKnown() {
        assertTrue(known.knows("trustbl.dns.allow-transfer"));
        assertTrue(known.knows("trustbl.dns.traffic.interval"));
        assertTrue(known.knows("trustbl.dns.enabled"));
        assertTrue(known.knows("trustbl.cluster.standby"));
        assertTrue(known.knows("trustbl.evidence.show-subject"));
        assertEquals(List.of("unknown configuration key trustbl.dns.allow-transfers (did you mean trustbl.dns.allow-transfer?)"),
                UnknownKeys.problems(List.of("trustbl.dns.allow-transfers"), "trustbl.", known));
    }

    /** A new @ConfigMapping under trustbl that is not in the list would make its keys "unknown". */
    @Test
    void everyTrustBlMappingOfTheServiceIsListed() throws IOException, URISyntaxException {
        Path classes = Path.of(TrustBlConfig.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = load(name);
                if (type != null && type.isAnnotationPresent(ConfigMapping.class)
                        && type.getAnnotation(ConfigMapping.class).prefix().startsWith("trustbl")) {
                    found.add(type);
                }
            }
        }
        assertTrue(found.size() >= 4, "found " + found);
        for (Class<?> mapping : found) {
            assertTrue(ServiceConfigKeys.MAPPINGS.contains(mapping), mapping + " is missing from ServiceConfigKeys.MAPPINGS");
        }
    }

    @Test
    void checkConfigReportsBadValuesOfMappedAndDnsKeys() {
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultSources()
                .withSources(new PropertiesConfigSource(Map.of("trustbl.reports.burst", "lots",
                        "trustbl.dns.ttl.listed", "long", "trustbl.engine.listing-ttl", "36H"), "-D", 400))
                .build();
        List<String> problems = ServiceConfigKeys.problems(config);
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("trustbl.reports.burst"), problems.toString());
        assertEquals("trustbl.dns.ttl.listed=long: not a number: long", problems.get(1));
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, ServiceConfigKeysTest.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }
}
