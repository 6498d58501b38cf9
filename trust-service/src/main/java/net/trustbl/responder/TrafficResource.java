package net.trustbl.responder;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import net.trustbl.common.ProblemException;
import net.trustbl.address.IpBlock;
import net.trustbl.journal.RolledUpTraffic;
import net.trustbl.common.RateLimiter;
import net.trustbl.member.Authenticator;
import net.trustbl.member.Caller;
import net.trustbl.member.KeyScope;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Lookup counts from standalone DNS responders (the replicas near mail servers answer most
 * queries, so the volume signal must hear from them): {@code [{"ip": "192.0.2.1", "lookups": 12}]}.
 * Counts raise the bar for busy senders, so only the operator's responders may send them: keys
 * with scope {@code traffic} (or, as before scopes existed, admin keys). Journaled as traffic observations like the built-in responder's,
 * rolled up per address per {@code trustbl.journal.traffic-interval} ({@link RolledUpTraffic}).
 */
@Path("/api/v1/traffic")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TrafficResource {

    static final int MAX_ITEMS = 5_000;
    /**
     * A responder counts an address once per client network and interval, and at most
     * {@code trustbl.dns.traffic.max-pairs} (500,000) (address, network) pairs per interval in
     * all: no honest upload has more lookups of one address, nor more lookups in an hour.
     */
    static final long MAX_LOOKUPS = 500_000L;
    /** Lookups one key may upload per hour (a leaked responder key cannot lift bars without bound). */
    static final long MAX_LOOKUPS_PER_KEY_PER_HOUR = 500_000L;

    private final RateLimiter perKey = new RateLimiter(MAX_LOOKUPS_PER_KEY_PER_HOUR / 3600.0, MAX_LOOKUPS_PER_KEY_PER_HOUR);

    @Inject
    Authenticator auth;

    @Inject
    RolledUpTraffic traffic;

    @POST
    public Response submit(JsonNode body, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Caller caller = auth.machine(authorization, KeyScope.TRAFFIC);
        if (body == null || !body.isArray()) {
            throw ProblemException.badRequest("an array of {ip, lookups} is required");
        }
        if (body.size() > MAX_ITEMS) {
            throw ProblemException.tooLarge("lookups", "max-items", "at most " + MAX_ITEMS + " addresses per request");
        }
        Map<IpBlock, Long> counts = new LinkedHashMap<>();
        for (int i = 0; i < body.size(); i++) {
            JsonNode item = body.get(i);
            JsonNode ip = item == null ? null : item.get("ip");
            JsonNode lookups = item == null ? null : item.get("lookups");
            if (ip == null || !ip.isTextual()) {
                throw ProblemException.invalidAt(i, "ip", "required", "[" + i + "]: ip is required");
            }
            if (lookups == null || !lookups.canConvertToLong() || lookups.asLong() < 1 || lookups.asLong() > MAX_LOOKUPS) {
                throw ProblemException.invalidAt(i, "lookups", "range", "[" + i + "]: lookups must be a whole number from 1 to "
                        + MAX_LOOKUPS);
            }
            IpBlock block;
            try {
                block = IpBlock.parse(ip.asText());
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalidAt(i, "ip", "format", "[" + i + "]: not an IP address");
            }
            if (!block.isSingleAddress()) {
                throw ProblemException.invalidAt(i, "ip", "single-address", "[" + i + "]: one address, not a block");
            }
            counts.merge(block, lookups.asLong(), Long::sum);
        }
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        if (total > MAX_LOOKUPS_PER_KEY_PER_HOUR) {
            throw ProblemException.tooLarge("lookups", "max-total", "at most " + MAX_LOOKUPS_PER_KEY_PER_HOUR
                    + " lookups per request (a responder counts at most that many in an hour)");
        }
        perKey.acquire(caller.keyId() == null ? "member:" + caller.memberId() : "key:" + caller.keyId(), total); // 429 beyond
        // counts join the roll-up (one journal event per address per interval); what could not be
        // journaled now waits for the interval's end, so a 503 here would only make it count twice
        try {
            traffic.offer(counts).get(30, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // held for the interval's end
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Response.accepted(Map.of("accepted", body.size())).build();
    }
}
