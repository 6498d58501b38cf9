package net.trustbl.ui;

import net.trustbl.member.AccountService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import net.trustbl.common.AuditLog;
import net.trustbl.admin.AuditLogStore;
import net.trustbl.common.ProblemException;
import net.trustbl.engine.MemberTrust;
import net.trustbl.lookup.AddressFacts;
import net.trustbl.lookup.AddressFactsService;
import net.trustbl.member.Caller;
import net.trustbl.member.MemberSearchStore;
import net.trustbl.member.MemberService;
import net.trustbl.moderation.ModerationService;
import net.trustbl.trust.TrustEngineHost;
import net.trustbl.ui.SessionService.WebUser;
import org.jboss.resteasy.reactive.RestForm;

import java.util.ArrayList;
import java.util.List;

/** Admin pages: moderation queue, member management, audit log. Every handler requires the admin role. */
@Path("/admin")
@Blocking
@Produces(MediaType.TEXT_HTML)
public class AdminPages {

    public record QueueRow(long id, String kind, String kindLabel, String ip, String reason, String status, String createdAt,
                           String decidedAt, String requesterEmail, String message, String upholdLabel, String rejectLabel,
                           String score, String listed, String reporters, String block) { }

    public record MemberRow(long id, String email, String role, String status, String trust, boolean pinned, int strikes,
                            boolean confirmed, String createdAt, long reports) { }

    public record AuditRow(long id, String at, String actor, String action, String target, String detail) { }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance moderation(Nav nav, List<QueueRow> open, List<QueueRow> decided, String notice);

        static native TemplateInstance members(Nav nav, List<MemberRow> members, String q, String notice, String error);

        static native TemplateInstance audit(Nav nav, List<AuditRow> rows, Long nextBefore);
    }

    @Inject
    Visitor visitor;


    @Inject
    ModerationService moderation;

    @Inject
    net.trustbl.report.ReporterStore reporterStore;

    @Inject
    MemberService members;

    @Inject
    TrustEngineHost engine;

    @Inject
    AddressFactsService lookups;

    @Inject
    AccountService accounts;

    @Inject
    AuditLog audit;

    @Inject
    MemberSearchStore memberSearch;

    @Inject
    AuditLogStore auditLog;

    @GET
    public Response index() {
        visitor.requireAdmin();
        return Html.redirect("/admin/moderation");
    }

    // ------------------------------------------------------------------ moderation

    @GET
    @Path("moderation")
    public Response queue(@QueryParam("notice") String notice) {
        visitor.requireAdmin();
        String n = notice == null ? null : switch (notice) {
            case "upheld" -> "Decision recorded: upheld.";
            case "rejected" -> "Decision recorded: rejected.";
            default -> null;
        };
        return Html.page(Templates.moderation(visitor.nav("admin-moderation"), rows(moderation.openItems(200)),
                rows(moderation.decided(30)), n));
    }

    private List<QueueRow> rows(List<ModerationService.Item> items) {
        List<QueueRow> out = new ArrayList<>();
        for (ModerationService.Item i : items) {
            AddressFacts x = PublicPages.parse(i.ip()).map(lookups::facts).orElse(null);
            String kindLabel = switch (i.kind()) {
                case ModerationService.DELISTING -> "Delisting request";
                case ModerationService.DISPUTE -> "Dispute by a member";
                case ModerationService.EXCLUSION -> "Exclusion from a block listing";
                default -> "Held by the engine"; // the reason says why: busy sender, clean history, dispute
            };
            boolean exclusion = ModerationService.EXCLUSION.equals(i.kind());
            String uphold = exclusion ? "Exclude this address (the block stays listed)"
                    : i.upholdDelists() ? "Delist (reports were wrong)" : "List it (evidence is right)";
            String reject = exclusion ? "Keep it inside the block listing"
                    : i.upholdDelists() ? "Keep listed (evidence stands)" : "Do not list (no spam here; nobody is struck unless it is listed)";
            out.add(new QueueRow(i.id(), i.kind(), kindLabel, i.ip(), i.reason(), i.status(), Fmt.time(i.createdAt()),
                    Fmt.time(i.decidedAt()), i.requesterEmail(), i.message(), uphold, reject,
                    x == null ? "" : Fmt.num(x.score()) + " / " + Fmt.num(x.threshold()),
                    x == null ? "" : x.listed() ? x.returnCode() : "not listed", reporters(i.ip()),
                    x == null ? null : blockNote(x.blockListing())));
        }
        return out;
    }

    /** The block listing around the address and the listed addresses that caused it (what an exclusion is weighed against). */
    private static String blockNote(AddressFacts.BlockListing b) {
        if (b == null) {
            return null;
        }
        return "inside the listed block " + b.block() + (b.causes().isEmpty() ? ""
                : "; listed because of " + String.join(", ", b.causes()));
    }

    /** Who reported the address in the last week (a moderator weighs the reporters too). */
    String reporters(String ip) {
        List<String> out = new ArrayList<>();
        for (net.trustbl.report.ReporterStore.Reporter r : reporterStore.recentSpamReporters(ip, 10)) {
            out.add(r.email() + " (trust " + Fmt.num(r.trust()) + ", " + r.reports() + ")");
        }
        return out.isEmpty() ? "none in the last 7 days" : String.join(", ", out);
    }

    /** One click: uphold or reject; the decision goes through the journal to the engine. */
    @POST
    @Path("moderation/{id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response decide(@PathParam("id") String id, @RestForm("csrf") String csrf, @RestForm("decision") String decision) {
        WebUser admin = visitor.requireAdmin();
        visitor.checkCsrf(csrf);
        long itemId = parseId(id);
        if (!"uphold".equals(decision) && !"reject".equals(decision)) {
            throw new PageException(422, "Unknown decision", "Choose uphold or reject.");
        }
        try {
            moderation.decide(admin.memberId(), itemId, "uphold".equals(decision));
        } catch (ProblemException e) {
            throw new PageException(e.status(), "Cannot decide", e.getMessage());
        }
        return Html.redirect("/admin/moderation?notice=" + ("uphold".equals(decision) ? "upheld" : "rejected"));
    }

    // ------------------------------------------------------------------ members

    @GET
    @Path("members")
    public Response members(@QueryParam("q") String q, @QueryParam("notice") String notice) {
        visitor.requireAdmin();
        String query = q == null ? "" : q.trim();
        return Html.page(Templates.members(visitor.nav("admin-members"), memberRows(query), query,
                "saved".equals(notice) ? "Saved." : null, null));
    }

    List<MemberRow> memberRows(String q) {
        List<MemberRow> out = new ArrayList<>();
        for (MemberSearchStore.MemberRecord r : memberSearch.search(q)) {
            MemberTrust t = engine.member(r.id());
            out.add(new MemberRow(r.id(), r.email(), r.role(), r.status(), Fmt.num(t == null ? r.trust() : t.trust()),
                    t == null ? r.pinned() : t.pinned(), t == null ? r.strikes() : t.strikes(), r.emailConfirmed(),
                    Fmt.time(r.createdAt()), r.reports()));
        }
        return out;
    }

    @POST
    @Path("members/{id}/trust")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response pinTrust(@PathParam("id") String id, @RestForm("csrf") String csrf, @RestForm("trust") String trust,
                             @RestForm("pinned") String pinned) {
        WebUser admin = visitor.requireAdmin();
        visitor.checkCsrf(csrf);
        long memberId = parseId(id);
        boolean pin = !"false".equals(pinned);
        Double value = null;
        if (pin) {
            try {
                value = Double.parseDouble(Forms.orEmpty(trust).trim());
            } catch (NumberFormatException e) {
                return Html.page(422, Templates.members(visitor.nav("admin-members"), memberRows(""), "", null,
                        "Trust must be a number from 0.0 to 1.0."));
            }
        }
        try {
            members.pinTrust(caller(admin), memberId, value, pin);
        } catch (ProblemException e) {
            return Html.page(e.status(), Templates.members(visitor.nav("admin-members"), memberRows(""), "", null, e.getMessage()));
        }
        return Html.redirect("/admin/members?notice=saved");
    }

    @POST
    @Path("members/{id}/suspension")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response suspend(@PathParam("id") String id, @RestForm("csrf") String csrf, @RestForm("suspended") String suspended) {
        WebUser admin = visitor.requireAdmin();
        visitor.checkCsrf(csrf);
        long memberId = parseId(id);
        if (memberId == admin.memberId()) {
            return Html.page(422, Templates.members(visitor.nav("admin-members"), memberRows(""), "", null,
                    "You cannot suspend yourself."));
        }
        try {
            members.setSuspended(caller(admin), memberId, "true".equals(suspended));
        } catch (ProblemException e) {
            throw new PageException(e.status(), "Cannot change the member", e.getMessage());
        }
        return Html.redirect("/admin/members?notice=saved");
    }

    @POST
    @Path("members/{id}/confirm-email")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response confirmEmail(@PathParam("id") String id, @RestForm("csrf") String csrf) {
        WebUser admin = visitor.requireAdmin();
        visitor.checkCsrf(csrf);
        long memberId = parseId(id);
        if (accounts.byId(memberId) == null) {
            throw PageException.notFound("No such member.");
        }
        accounts.confirmEmail(memberId);
        audit.record(admin.memberId(), "confirm-email", "member:" + memberId, "by an admin");
        return Html.redirect("/admin/members?notice=saved");
    }

    // ------------------------------------------------------------------ audit log

    @GET
    @Path("audit")
    public Response audit(@QueryParam("before") String before) {
        visitor.requireAdmin();
        Long b = before != null && before.matches("\\d{1,18}") ? Long.parseLong(before) : null;
        List<AuditRow> rows = auditRows(b);
        return Html.page(Templates.audit(visitor.nav("admin-audit"), rows, rows.size() == 100 ? rows.get(99).id() : null));
    }

    List<AuditRow> auditRows(Long before) {
        List<AuditRow> out = new ArrayList<>();
        for (AuditLogStore.AuditEntry e : auditLog.latest(before, 100)) {
            out.add(new AuditRow(e.id(), Fmt.time(e.at()), e.actorEmail() == null ? "system" : e.actorEmail(), e.action(),
                    e.target(), e.detail()));
        }
        return out;
    }

    private static Caller caller(WebUser admin) {
        return new Caller(admin.memberId(), null, admin.role(), admin.email());
    }

    private static long parseId(String id) {
        if (id == null || !id.matches("\\d{1,18}")) {
            throw PageException.notFound("No such item.");
        }
        return Long.parseLong(id);
    }
}
