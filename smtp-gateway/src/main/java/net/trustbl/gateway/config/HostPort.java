package net.trustbl.gateway.config;

/** "host:port" or "[v6]:port" as used by gateway.listen, gateway.downstream and gateway.dns.resolver. */
public record HostPort(String host, int port) {

    public static HostPort parse(String value, int defaultPort) {
        String v = value.trim();
        if (v.startsWith("[")) {
            int close = v.indexOf(']');
            String host = v.substring(1, close);
            return new HostPort(host, v.length() > close + 2 ? Integer.parseInt(v.substring(close + 2)) : defaultPort);
        }
        int colon = v.lastIndexOf(':');
        if (colon < 0 || v.indexOf(':') != colon) {
            return new HostPort(v, defaultPort);
        }
        return new HostPort(v.substring(0, colon), Integer.parseInt(v.substring(colon + 1)));
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
