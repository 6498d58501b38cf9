package net.trustbl.gateway.reload;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import net.trustbl.config.KnownKeys;
import net.trustbl.gateway.config.GatewayConfig;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A reload takes the operator file's new lists but keeps every restart-only value the gateway started with. */
class ConfigSnapshotsTest {

    @TempDir
    Path dir;

    @Test
    void restartOnlyKeysKeepTheirStartValuesFromFilesAndEnvironmentWhileListsChange() throws Exception {
        Path file = dir.resolve("gateway.properties");
        Files.writeString(file, "gateway.hostname=mx1.example.org\ngateway.deny.ips=192.0.2.1\n");
        SmallRyeConfig running = new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(Map.of("GATEWAY_DATA_DIR", "/var/lib/gw"), 300))
                .withSources(new PropertiesConfigSource(Map.of("quarkus.config.locations", file.toString()), "launch", 400))
                .withSources(new PropertiesConfigSource(file.toUri().toURL(), 260))
                .build();
        ConfigSnapshots snapshots = new ConfigSnapshots(running, KnownKeys.fromMappings(GatewayConfig.class));
        assertEquals(List.of(file.toAbsolutePath().normalize()), snapshots.watchedFiles());

        Files.writeString(file, "gateway.hostname=mx2.example.org\ngateway.deny.ips=10.0.0.0/8\ngateway.data-dir=/tmp/elsewhere\n");
        List<ConfigSource> sources = snapshots.withFiles(Map.of(file.toAbsolutePath().normalize(), PropertiesFile.read(file)));
        GatewayConfig reloaded = snapshots.mapped(sources);

        assertEquals(List.of("10.0.0.0/8"), reloaded.deny().ips().orElseThrow());
        assertEquals("mx1.example.org", reloaded.hostname());
        assertEquals("/var/lib/gw", reloaded.dataDir());
        Map<String, String> now = snapshots.gatewayValues(snapshots.plain(sources));
        assertEquals("mx2.example.org", now.get("gateway.hostname"));
        assertEquals("mx1.example.org", snapshots.pinned().get("gateway.hostname"));
        assertEquals("/var/lib/gw", snapshots.pinned().get("gateway.data-dir"));
    }
}
