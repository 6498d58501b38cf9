package net.trustbl.gateway.config;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The message-check groups of {@link GatewayConfig}: attachments, content rules and the external
 * checker. They live here to keep each file small; GatewayConfig extends this interface, so they
 * keep their names ({@code GatewayConfig.Attachments}…) and keys.
 */
public interface MessageCheckSettings {

    interface Attachments {
        @WithName("blocked-extensions")
        @WithDefault("exe,scr,pif,bat,cmd,com,vbs,js,jar,lnk")
        List<String> blockedExtensions();

        @WithName("blocked-types")
        Optional<List<String>> blockedTypes();

        /** Open archives (zip, gzip, tar, nested) and judge what they hold; false: archives are judged by name only. */
        @WithName("scan-zip")
        @WithDefault("true")
        boolean scanZip();

        /** reject (550 5.7.1) or defer (451 4.7.1) a message with an archive that could not be fully inspected. */
        @WithName("uninspectable-action")
        @WithDefault("reject")
        String uninspectableAction();

        /** Recognised formats that pass unopened instead of failing closed (7z, rar, bzip2, xz, zstd, cab, iso, arj, lzh, ace). */
        @WithName("pass-uninspected-formats")
        Optional<List<String>> passUninspectedFormats();

        /** Archives inside archives are opened this deep (the attached archive is depth 1); deeper fails closed. */
        @WithName("max-depth")
        @WithDefault("4")
        int maxDepth();

        /** Bytes decompressed per message while looking into archives; more fails closed. */
        @WithName("max-inflated-bytes")
        @WithDefault("67108864")
        long maxInflatedBytes();

        /** Archive entries per message; more fails closed. */
        @WithName("max-entries")
        @WithDefault("10000")
        int maxEntries();

        /** Wall-clock limit of one message's scan, waiting for a worker included; when it passes the message is deferred (451 4.3.2). */
        @WithName("scan-timeout")
        @WithDefault("10s")
        Duration scanTimeout();
    }

    interface Content {
        List<ContentRule> rules();

        /**
         * reject (550 5.7.1), defer (451 4.7.1) or tag a message whose header section is larger
         * than the 1 MiB the header rules read: its header rules could not be applied.
         */
        @WithName("uninspectable-action")
        @WithDefault("defer")
        String uninspectableAction();

        /**
         * Wall-clock limit of one message's scan (every rule on every window and decoded part),
         * waiting for a worker included; when it passes the message is deferred (451 4.3.2), or
         * tagged with uninspectable-action=tag. On the event loop a scan gets at most 20 ms of it,
         * then starts again on a worker thread.
         */
        @WithName("scan-timeout")
        @WithDefault("5s")
        Duration scanTimeout();
    }

    interface ContentRule {
        /** header, body or any. */
        @WithDefault("any")
        String where();

        /** Java regex, matched case-insensitively. */
        String pattern();

        /** reject, defer or tag. */
        @WithDefault("reject")
        String action();

        @WithDefault("message content rejected by policy")
        String reason();
    }

    interface External {
        /** Command line run after DATA with "-s file -a ip -f from -t n rcpts…" appended. */
        Optional<String> command();

        @WithDefault("30s")
        Duration timeout();
    }
}
