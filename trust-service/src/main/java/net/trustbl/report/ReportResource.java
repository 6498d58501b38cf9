package net.trustbl.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import net.trustbl.common.ProblemException;
import net.trustbl.journal.JournalEntry;
import net.trustbl.common.JournalUnavailableException;
import net.trustbl.journal.Receipt;
import net.trustbl.member.Authenticator;
import net.trustbl.member.Caller;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/** Members' reports over the API: submit (one or a batch) and list with outcomes. */
@Path("/api/v1/reports")
@Produces(MediaType.APPLICATION_JSON)
public class ReportResource {

    /** {@code weighed} is there (false) only for the reports of an account whose email is not confirmed. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Accepted(long id, Long duplicateOf, Boolean weighed) { }

    /** {@code weighed}: false for a report filed before the account's email was confirmed (strength 0). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ReportView(long id, String ip, String verdict, String category, String note, String channel,
                             Instant createdAt, String outcome, boolean weighed, String notWeighed) { }

    static final String NOT_WEIGHED = "not weighed: email not confirmed";

    private static final Set<String> OUTCOMES = Set.of("pending", "confirmed", "cleared", "duplicate");

    @Inject
    Authenticator auth;

    @Inject
    ReportService reports;

    @Inject
    io.micrometer.core.instrument.MeterRegistry metrics;

    @POST
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    public CompletionStage<Response> submit(JsonNode body, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        java.util.concurrent.CompletableFuture<List<Receipt>> stored;
        Boolean weighed;
        try {
            Caller caller = auth.bearer(authorization);
            weighed = reports.weighs(caller.memberId()) ? null : Boolean.FALSE;
            List<JournalEntry> entries = reports.parse(body, caller.memberId(), "api");
            // a hung database must not hang the client: after the deadline it gets a 503 and
            // retries (a repeated report counts once, so a retry never double-counts)
            stored = reports.submit(caller, entries).orTimeout(20, java.util.concurrent.TimeUnit.SECONDS);
        } catch (ProblemException e) {
            metrics.counter("trustbl.reports.rejected", "status", String.valueOf(e.status())).increment();
            throw e;
        }
        Boolean weighedFlag = weighed;
        return stored.handle((receipts, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                if (cause instanceof ProblemException refused) {
                    // the database refused this request's data (its batch's other requests were stored)
                    metrics.counter("trustbl.reports.rejected", "status", String.valueOf(refused.status())).increment();
                    return refused.toResponse();
                }
                metrics.counter("trustbl.reports.rejected", "status", "503").increment();
                if (cause instanceof JournalUnavailableException) {
                    return ProblemException.unavailable("reports cannot be stored right now; nothing was kept, retry later", 5)
                            .toResponse();
                }
                if (cause instanceof java.util.concurrent.TimeoutException) {
                    return ProblemException.unavailable("the database did not answer in time; retry later "
                            + "(a repeated report counts once)", 5).toResponse();
                }
                throw new CompletionException(cause);
            }
            metrics.counter("trustbl.reports.accepted").increment(receipts.size());
            List<Accepted> out = new ArrayList<>(receipts.size());
            for (Receipt r : receipts) {
                out.add(new Accepted(r.id(), r.duplicateOf(), weighedFlag));
            }
            return Response.accepted(out).build();
        });
    }

    @GET
    @Transactional
    public List<ReportView> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                 @QueryParam("outcome") String outcome,
                                 @QueryParam("before") Long beforeId,
                                 @QueryParam("limit") @DefaultValue("100") int limit) {
        Caller caller = auth.bearer(authorization);
        if (outcome != null && !OUTCOMES.contains(outcome)) {
            throw ProblemException.invalid("outcome", "enum", "outcome must be one of " + OUTCOMES);
        }
        if (limit < 1 || limit > 1000) {
            throw ProblemException.invalid("limit", "range", "limit must be 1..1000");
        }
        StringBuilder q = new StringBuilder("memberId = :m");
        io.quarkus.panache.common.Parameters p = io.quarkus.panache.common.Parameters.with("m", caller.memberId());
        if (outcome != null) {
            q.append(" and outcome = :o");
            p.and("o", outcome);
        }
        if (beforeId != null) {
            q.append(" and id < :b");
            p.and("b", beforeId);
        }
        q.append(" order by id desc");
        List<Report> rows = Report.find(q.toString(), p).page(0, limit).list();
        return rows.stream().map(r -> new ReportView(r.id, r.ip, r.verdict, r.category, r.note, r.channel,
                r.createdAt, r.outcome, r.strength > 0, r.strength > 0 ? null : NOT_WEIGHED)).toList();
    }
}
