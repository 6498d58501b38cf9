package net.trustbl.trap;

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
import net.trustbl.common.TrustBlConfig;
import net.trustbl.engine.EngineEvent;
import net.trustbl.address.IpBlock;
import net.trustbl.engine.MemberTrust;
import net.trustbl.journal.EventJournal;
import net.trustbl.journal.JournalEntry;
import net.trustbl.common.JournalUnavailableException;
import net.trustbl.member.AccountQuotas;
import net.trustbl.member.Authenticator;
import net.trustbl.member.Caller;
import net.trustbl.member.KeyScope;
import net.trustbl.report.ReportService;
import net.trustbl.trust.TrustEngineHost;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spam-trap hits reported by gateways. Trap evidence weighs heavily, so only members the network
 * already trusts, the operator's trap network ({@code trap-feed} keys) or admins may send it;
 * everyone else gets 403. A member's hits carry its id: on
 * one address they weigh at most its trust in all (so a member below trust 1.0 cannot list alone),
 * and a cleared listing strikes it like a reporter. Hits share the per-key rate limit of reports.
 */
@Path("/api/v1/trap-hits")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TrapHitResource {

    private static final int MAX_HITS = 1000;

    @Inject
    Authenticator auth;

    @Inject
    EventJournal journal;

    @Inject
    TrustEngineHost engine;

    @Inject
    TrustBlConfig config;

    @Inject
    ReportService reports;

    @Inject
    AccountQuotas quotas;

    @POST
    public Response submit(JsonNode body, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Caller caller = caller(authorization);
        if (body == null || (!body.isArray() && !body.isObject())) {
            throw ProblemException.badRequest("a trap-hit object or an array of them is required");
        }
        List<JsonNode> items = new ArrayList<>();
        if (body.isArray()) {
            body.forEach(items::add);
        } else {
            items.add(body);
        }
        if (items.size() > MAX_HITS) {
            throw ProblemException.tooLarge("hits", "max-items", "at most " + MAX_HITS + " trap hits per request");
        }
        // a member's trap feed is that member's word: it weighs at most its trust per address and
        // costs it a strike when the listing is cleared; a trap-feed key (or an admin's key) is the
        // operator's own trap network (full weight)
        Long submitter = operatorFeed(caller) ? null : caller.memberId();
        // one event per address and request, carrying its count: a feed that repeats an address
        // costs the journal and the engine one entry, not one per hit
        Map<IpBlock, Integer> hits = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode ipNode = items.get(i).get("ip");
            if (ipNode == null || !ipNode.isTextual()) {
                throw ProblemException.invalidAt(i, "ip", "required", "hits[" + i + "]: ip is required");
            }
            IpBlock ip = reports.validateTarget(ipNode.asText(), body.isArray() ? i : null);
            if (!ip.isSingleAddress()) {
                throw ProblemException.invalidAt(i, "ip", "single-address", "a trap hit names one address, not a block");
            }
            hits.merge(ip, 1, Integer::sum);
        }
        List<JournalEntry> entries = new ArrayList<>(hits.size());
        hits.forEach((ip, n) -> entries.add(new JournalEntry.Fact(new EngineEvent.TrapHit(ip, n, submitter, 0))));
        reports.chargeRate(caller, items.size());
        if (submitter != null) {
            quotas.chargeTrapHits(submitter, entries.size());
        }
        try {
            journal.submitAndWait(entries);
        } catch (JournalUnavailableException e) {
            if (submitter != null) {
                quotas.refundTrapHits(submitter, entries.size());
            }
            throw ProblemException.unavailable("trap hits cannot be stored right now; retry later", 5);
        }
        return Response.accepted(Map.of("accepted", items.size())).build();
    }

    /**
     * A trap-feed key, an admin key, or a member trusted enough; 403 otherwise. Any other scoped
     * key is refused: only a trap-feed key posts full-weight hits without being an admin.
     */
    private Caller caller(String authorization) {
        Caller caller = auth.machineOrMember(authorization, KeyScope.TRAP_FEED);
        if (operatorFeed(caller)) {
            return caller;
        }
        MemberTrust t = engine.member(caller.memberId());
        if (t == null || t.trust() < config.traps().minTrust()) {
            throw ProblemException.forbidden("trap hits are accepted from members with trust >= "
                    + config.traps().minTrust() + ", trap-feed keys and admins");
        }
        return caller;
    }

    private static boolean operatorFeed(Caller caller) {
        return caller.scope() == KeyScope.TRAP_FEED || caller.isAdmin();
    }
}
