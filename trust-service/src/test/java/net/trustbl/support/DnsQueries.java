package net.trustbl.support;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;

import java.time.Duration;

/** Real DNS queries to the service's responder on loopback. */
public final class DnsQueries {

    private DnsQueries() {
    }

    public static Message ask(int port, String name, int type) throws Exception {
        SimpleResolver r = new SimpleResolver("127.0.0.1");
        r.setPort(port);
        r.setTimeout(Duration.ofSeconds(2));
        return r.send(Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
    }

    /** The octets of an IPv4 address reversed, as DNSBL names have them. */
    public static String reversed(String ip) {
        String[] o = ip.split("\\.");
        return o[3] + "." + o[2] + "." + o[1] + "." + o[0];
    }
}
