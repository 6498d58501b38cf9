package net.trustbl.gateway.support;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import net.trustbl.gateway.config.GatewayConfig;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** A GatewayConfig for unit tests, without Quarkus: the defaults plus the given key/value pairs. */
public final class TestConfigs {

    private TestConfigs() {
    }

    /** As {@link #gateway}, resolving names through {@code dns} on loopback. */
    public static GatewayConfig gatewayResolvingWith(FakeDns dns, String... keyValues) {
        String[] all = java.util.Arrays.copyOf(keyValues, keyValues.length + 2);
        all[keyValues.length] = "gateway.dns.resolver";
        all[keyValues.length + 1] = "127.0.0.1:" + dns.port();
        return gateway(all);
    }

    /** Stops a test's DNS server and Vert.x. */
    public static void stop(FakeDns dns, io.vertx.core.Vertx vertx) throws Exception {
        dns.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    public static GatewayConfig gateway(String... keyValues) {
        Map<String, String> props = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        return new SmallRyeConfigBuilder().withMapping(GatewayConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(MemorySize.class, 200, new MemorySizeConverter())
                .withSources(new PropertiesConfigSource(props, "test", 500)).build().getConfigMapping(GatewayConfig.class);
    }
}
