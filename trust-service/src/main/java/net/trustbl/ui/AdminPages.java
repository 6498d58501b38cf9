package net.trustbl.ui;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import net.trustbl.admin.AuditLog;
import net.trustbl.common.ProblemException;
import net.trustbl.engine.MemberTrust;
import net.trustbl.member.Caller;
import net.trustbl.member.MemberService;
import net.trustbl.moderation.ModerationService;
import net.trustbl.trust.TrustEngineHost;
import net.trustbl.ui.SessionService.WebUser;
import org.jboss.resteasy.reactive.RestForm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
    LookupPageService lookups;

    @Inject
    AccountService accounts;

    @Inject
    AuditLog audit;

    @Inject
    EntityManager em;

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
            var x = PublicPages.parse(i.ip()).map(lookups::view).orElse(null);
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
                    : i.upholdDelists() ? "Keep listed (evidence stands)" : "Do not list (reports were wrong)";
            out.add(new QueueRow(i.id(), i.kind(), kindLabel, i.ip(), i.reason(), i.status(), Fmt.time(i.createdAt()),
                    Fmt.time(i.decidedAt()), i.requesterEmail(), i.message(), uphold, reject,
                    x == null ? "" : x.score() + " / " + x.threshold(), x == null ? "" : x.listed() ? x.returnCode() : "not listed",
                    reporters(i.ip()), x == null ? null : blockNote(x.blockListing())));
        }
        return out;
    }

    /** The block listing around the address and the listed addresses that caused it (what an exclusion is weighed against). */
    private static String blockNote(LookupPageService.BlockListing b) {
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

    @Transactional
    List<MemberRow> memberRows(String q) {
        String like = "%" + q.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        List<?> rows = em.createNativeQuery("SELECT m.id, m.email, m.role, m.status, m.trust, m.trust_pinned, m.strikes, "
                        + "m.email_confirmed, m.created_at, (SELECT count(*) FROM report r WHERE r.member_id = m.id) "
                        + "FROM member m WHERE m.email LIKE ?1 ESCAPE '\\' OR CAST(m.id AS varchar) = ?2 ORDER BY m.id DESC LIMIT 200")
                .setParameter(1, like).setParameter(2, q).getResultList();
        List<MemberRow> out = new ArrayList<>();
        for (Object o : rows) {
            Object[] r = (Object[]) o;
            long id = ((Number) r[0]).longValue();
            MemberTrust t = engine.member(id);
            out.add(new MemberRow(id, (String) r[1], (String) r[2], (String) r[3],
                    Fmt.num(t == null ? ((Number) r[4]).doubleValue() : t.trust()), t == null ? (Boolean) r[5] : t.pinned(),
                    t == null ? ((Number) r[6]).intValue() : t.strikes(), (Boolean) r[7],
                    Fmt.time(SessionService.toInstant(r[8])), ((Number) r[9]).longValue()));
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

    @Transactional
    List<AuditRow> auditRows(Long before) {
        var q = em.createNativeQuery("SELECT a.id, a.at, m.email, a.action, a.target, a.detail FROM audit_log a "
                + "LEFT JOIN member m ON m.id = a.actor_id " + (before == null ? "" : "WHERE a.id < ?1 ") + "ORDER BY a.id DESC LIMIT 100");
        if (before != null) {
            q.setParameter(1, before);
        }
        List<AuditRow> out = new ArrayList<>();
        for (Object o : q.getResultList()) {
            Object[] r = (Object[]) o;
            out.add(new AuditRow(((Number) r[0]).longValue(), Fmt.time(SessionService.toInstant(r[1])),
                    r[2] == null ? "system" : (String) r[2], (String) r[3], (String) r[4], (String) r[5]));
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
