package net.trustbl.responder;

import io.vertx.ext.web.RoutingContext;
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
import net.trustbl.cluster.ClientAddress;
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
 * ({@link RenderedExports}), not once per request. Only a few downloads run at once, per client
 * and in all ({@link ExportSlots}): each holds a worker thread until its client has read the body.
 */
@Path("/api/v1/export/rbldnsd")
public class ExportResource {

    @Inject
    DnsResponderHost dns;

    @Inject
    RenderedExports rendered;

    @Inject
    ExportSlots slots;

    @Inject
    ClientAddress clientAddress;

    @Inject
    RoutingContext routing;

    /** Seconds a refused download is asked to wait: a download takes seconds, a mirror fetches once a minute. */
    static final long RETRY_AFTER_SECONDS = 10;

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
        ExportSlots.Slot slot = slots.tryAcquire(clientAddress.of(routing.request()));
        if (slot == null) {
            throw ProblemException.unavailable("too many downloads of the list at once; try again in a moment",
                    RETRY_AFTER_SECONDS);
        }
        // given back when the body is written or its write failed (ok), and in any case when the
        // response ends or its connection closes: a HEAD or a failed response never writes the body
        routing.addEndHandler(ended -> slot.release());
        try {
            // rendered once per tag (RenderedExports): anyone may ask, as often as it likes. A newer
            // rendering than this snapshot's may come back: the headers are the served rendering's own.
            RenderedExports.Rendered served = rendered.gzipped(tagPrefix + format, snapshot.serial(), tag, out -> {
                BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.US_ASCII), 1 << 16);
                w.write(zoneLines);
                RbldnsdExport.write(w, snapshot.index(), txtTemplate, f, answerNet);
                w.flush();
            });
            return ok(served, gzip, slot);
        } catch (RuntimeException | Error e) {
            slot.release();
            throw e;
        }
    }

    private static Response ok(RenderedExports.Rendered served, boolean gzip, ExportSlots.Slot slot) {
        byte[] zipped = served.gzip();
        StreamingOutput body = out -> {
            try {
                if (gzip) {
                    out.write(zipped);
                } else {
                    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped), 1 << 16)) {
                        in.transferTo(out);
                    }
                }
            } finally {
                slot.release();
            }
        };
        Response.ResponseBuilder response = Response.ok(body).tag(served.tag().value(gzip))
                .header("X-TrustBL-Serial", served.serial())
                .header(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING)
                .header(HttpHeaders.CACHE_CONTROL, "no-cache");
        return gzip ? response.header(HttpHeaders.CONTENT_ENCODING, "gzip").build() : response.build();
    }
}
