package net.trustbl.responder;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import net.trustbl.common.ProblemException;
import net.trustbl.dns.export.RbldnsdExport;
import net.trustbl.dns.index.ZoneSnapshot;
import net.trustbl.dns.config.DnsConfig;
import net.trustbl.dns.zone.ZoneRecords;

import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

/**
 * The whole list in rbldnsd format, for operators who mirror it with rbldnsd (fetch it
 * periodically, write it to the dataset file; rbldnsd reloads on change). Mirrors poll every
 * minute, so an unchanged list costs a 304 (strong ETag per serial, If-None-Match), and a changed
 * one is sent gzipped when the mirror asks for it. Each list is rendered once per tag
 * ({@link RenderedExports}), not once per request.
 */
@Path("/api/v1/export/rbldnsd")
public class ExportResource {

    @Inject
    DnsResponderHost dns;

    @Inject
    RenderedExports rendered;

    @GET
    @Path("/{format}")
    @Produces(MediaType.TEXT_PLAIN)
    public Response export(
            @PathParam("format") String format,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
            @HeaderParam(HttpHeaders.ACCEPT_ENCODING) String acceptEncoding) {
        DnsConfig config = configOrNotFound();
        return export(format, "", dns.zone().snapshot(), config.txtTemplate(), 0, ifNoneMatch, acceptEncoding);
    }

    /** The allow zone (trusted senders, 127.0.10.x) in the same form, for mirrors of {@code trustbl.dns.allow-zone}. */
    @GET
    @Path("/allow/{format}")
    @Produces(MediaType.TEXT_PLAIN)
    public Response exportAllowZone(
            @PathParam("format") String format,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
            @HeaderParam(HttpHeaders.ACCEPT_ENCODING) String acceptEncoding) {
        DnsConfig config = configOrNotFound();
        return export(format, "allow-", dns.allowZone().snapshot(), config.allowTxtTemplate(), ZoneRecords.ALLOW_NET,
                ifNoneMatch, acceptEncoding);
    }

    private DnsConfig configOrNotFound() {
        DnsConfig config = dns.dnsConfig();
        if (config == null) {
            throw ProblemException.notFound("the DNS responder is disabled on this service");
        }
        return config;
    }

    private Response export(String format, String tagPrefix, ZoneSnapshot snapshot, String txtTemplate, int answerNet,
                            String ifNoneMatch, String acceptEncoding) {
        RbldnsdExport.Format f = switch (format) {
            case "ip4set" -> RbldnsdExport.Format.IP4SET;
            case "ip6trie" -> RbldnsdExport.Format.IP6TRIE;
            default -> throw ProblemException.invalid("format", "enum", "format must be ip4set or ip6trie");
        };
        String zoneLines = RbldnsdZoneLines.of(dns.dnsConfig(), snapshot.serial());
        ExportTag tag = ExportTag.of(tagPrefix + format, snapshot.serial(), zoneLines + txtTemplate);
        boolean gzip = ExportTag.acceptsGzip(acceptEncoding);
        if (tag.matches(ifNoneMatch)) {
            return Response.notModified().tag(tag.value(gzip)).header("X-TrustBL-Serial", snapshot.serial())
                    .header(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING).build();
        }
        // rendered once per tag (RenderedExports): anyone may ask, as often as it likes. A newer
        // rendering than this snapshot's may come back: the headers are the served rendering's own.
        RenderedExports.Rendered served = rendered.gzipped(tagPrefix + format, snapshot.serial(), tag, out -> {
            BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.US_ASCII), 1 << 16);
            w.write(zoneLines);
            RbldnsdExport.write(w, snapshot.index(), txtTemplate, f, answerNet);
            w.flush();
        });
        byte[] zipped = served.gzip();
        StreamingOutput body = gzip ? out -> out.write(zipped) : out -> {
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped), 1 << 16)) {
                in.transferTo(out);
            }
        };
        Response.ResponseBuilder response = Response.ok(body).tag(served.tag().value(gzip))
                .header("X-TrustBL-Serial", served.serial())
                .header(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING)
                .header(HttpHeaders.CACHE_CONTROL, "no-cache");
        return gzip ? response.header(HttpHeaders.CONTENT_ENCODING, "gzip").build() : response.build();
    }
}
