package net.trustbl.gateway.filter;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Networks greylisting skips: the shipped list of big senders' outbound pools
 * ({@code greylist/known-senders.txt}) and the operator's own file. A bad line stops start-up with
 * its line number, so a typo never silently greylists (or spares) the wrong network.
 */
public final class KnownSenders {

    public static final String SHIPPED = "/greylist/known-senders.txt";

    private final List<Patterns.Cidr> networks;

    private KnownSenders(List<Patterns.Cidr> networks) {
        this.networks = List.copyOf(networks);
    }

    /** The list as {@code gateway.greylist.skip-known-senders} and {@code .known-senders-file} set it. */
    public static KnownSenders of(net.trustbl.gateway.config.GatewayConfig.Greylist conf) {
        return load(conf.skipKnownSenders(), conf.knownSendersFile().map(Path::of).orElse(null));
    }

    public static KnownSenders load(boolean shipped, Path extra) {
        List<Patterns.Cidr> all = new ArrayList<>();
        if (shipped) {
            try (InputStream in = KnownSenders.class.getResourceAsStream(SHIPPED)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + SHIPPED);
                }
                parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), SHIPPED, all);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + SHIPPED, e);
            }
        }
        if (extra != null) {
            try {
                parse(Files.readString(extra, StandardCharsets.UTF_8), extra.toString(), all);
            } catch (IOException e) {
                throw new IllegalStateException("gateway.greylist.known-senders-file: cannot read " + extra + ": " + e.getMessage(), e);
            }
        }
        return new KnownSenders(all);
    }

    static void parse(String text, String source, List<Patterns.Cidr> out) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf('#');
            String entry = (hash < 0 ? line : line.substring(0, hash)).trim();
            if (entry.isEmpty()) {
                continue;
            }
            try {
                out.add(Patterns.Cidr.parse(entry));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + " line " + (i + 1) + ": not an address or CIDR: " + entry);
            }
        }
    }

    public boolean contains(InetAddress client) {
        for (Patterns.Cidr c : networks) {
            if (c.contains(client)) {
                return true;
            }
        }
        return false;
    }

    public int size() {
        return networks.size();
    }
}
