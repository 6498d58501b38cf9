package net.trustbl.responder;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import net.trustbl.common.ProblemException;
import net.trustbl.dns.export.RbldnsdExport;
import net.trustbl.dns.index.ZoneSnapshot;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;

/**
 * The whole list in rbldnsd format, for operators who mirror it with rbldnsd (fetch it
 * periodically, write it to the dataset file; rbldnsd reloads on change).
 */
@Path("/api/v1/export/rbldnsd")
public class ExportResource {

    @Inject
    DnsResponderHost dns;

    @GET
    @Path("/{format}")
    @Produces(MediaType.TEXT_PLAIN)
    public Response export(@PathParam("format") String format) {
        RbldnsdExport.Format f = switch (format) {
            case "ip4set" -> RbldnsdExport.Format.IP4SET;
            case "ip6trie" -> RbldnsdExport.Format.IP6TRIE;
            default -> throw ProblemException.invalid("format", "enum", "format must be ip4set or ip6trie");
        };
        if (dns.dnsConfig() == null) {
            throw ProblemException.notFound("the DNS responder is disabled on this service");
        }
        ZoneSnapshot snapshot = dns.zone().snapshot();
        String template = dns.dnsConfig().txtTemplate();
        StreamingOutput body = out -> {
            BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.US_ASCII), 1 << 16);
            RbldnsdExport.write(w, snapshot, template, f);
            w.flush();
        };
        return Response.ok(body).header("X-TrustBL-Serial", snapshot.serial()).build();
    }
}
