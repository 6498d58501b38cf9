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
import net.trustbl.common.ProblemException;
import net.trustbl.engine.Verdict;
import net.trustbl.intake.MailhostService;
import net.trustbl.intake.ReportAddress;
import net.trustbl.intake.RawReportService;
import net.trustbl.journal.JournalEntry;
import net.trustbl.common.JournalUnavailableException;
import net.trustbl.journal.Receipt;
import net.trustbl.member.ApiKey;
import net.trustbl.member.Caller;
import net.trustbl.member.Member;
import net.trustbl.member.MemberService;
import net.trustbl.report.DashboardService;
import net.trustbl.report.ReportService;
import net.trustbl.rules.PersonalRules;
import net.trustbl.rules.PersonalRulesService;
import net.trustbl.trust.TrustHistoryStore;
import net.trustbl.ui.SessionService.WebUser;
import org.jboss.resteasy.reactive.RestForm;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A logged-in member's pages. Every handler starts with {@code visitor.requireUser()} and reads
 * or changes only that member's data; ids in URLs are checked against the session's member.
 */
@Path("/")
@Blocking
@Produces(MediaType.TEXT_HTML)
public class MemberPages {

    static final int MAX_LINES = 1000;

    /** One line of the IP report form and what became of it. */
    public record LineResult(int line, String input, boolean ok, String text) { }

    /** What the report form shows again. */
    public record ReportForm(String ips, String verdict, String category, String note, List<LineResult> results,
                             String rawError, List<RawReportService.FiledReport> rawResults, List<String> rawNotes) {
        static ReportForm empty() {
            return new ReportForm("", "spam", "", "", List.of(), null, List.of(), List.of());
        }
    }

    /** The filter of the report list (null = any). */
    public record ReportFilter(String outcome, String verdict, String ip, Long before) {
        public String query() {
            StringBuilder b = new StringBuilder();
            if (outcome != null) {
                b.append("&outcome=").append(outcome);
            }
            if (verdict != null) {
                b.append("&verdict=").append(verdict);
            }
            if (ip != null) {
                b.append("&ip=").append(java.net.URLEncoder.encode(ip, StandardCharsets.UTF_8));
            }
            return b.toString();
        }
    }

    /** {@code scope}: null for a full key, else the one machine route a scoped key works on. */
    public record KeyRow(long id, String label, String scope, String prefix, String createdAt, String lastUsedAt,
                         boolean revoked) { }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance dashboard(Nav nav, Member member, DashboardService.Summary s, String trust,
                                                 String trustChart, List<MemberReportRow> recent, boolean weekly, String notice);

        static native TemplateInstance reports(Nav nav, ReportForm form, ReportFilter filter, List<MemberReportRow> rows,
                                               Long nextBefore);

        static native TemplateInstance keys(Nav nav, String publicUrl, List<KeyRow> keys, String newKey, String newLabel, String error);

        static native TemplateInstance queryKey(Nav nav, String queryKey, String zone, String notice);

        static native TemplateInstance rules(Nav nav, String threshold, String allow, String deny, String networkThreshold,
                                             String queryKey, String error, String notice);

        static native TemplateInstance mailhosts(Nav nav, String hosts, String reportAddress, String error, String notice);
    }

    @Inject
    net.trustbl.member.Authenticator authenticator;

    @Inject
    Visitor visitor;

    @Inject
    ReportAddress reportAddress;


    @Inject
    DashboardService dashboard;

    @Inject
    AccountService accounts;

    @Inject
    MemberService members;

    @Inject
    ReportService reportService;

    @Inject
    RawReportService rawReports;

    @Inject
    PersonalRulesService rules;

    @Inject
    MailhostService mailhosts;

    @Inject
    net.trustbl.trust.TrustEngineHost engine;

    // ------------------------------------------------------------------ dashboard

    @GET
    @Path("dashboard")
    public Response dashboard(@QueryParam("notice") String notice) {
        WebUser u = visitor.requireUser();
        Member m = accounts.byId(u.memberId());
        String n = "weekly-off".equals(notice) ? "The weekly impact mail is turned off."
                : "weekly-on".equals(notice) ? "The weekly impact mail is turned on." : null;
        DashboardService.Summary s = dashboard.summary(u.memberId());
        return Html.page(Templates.dashboard(visitor.nav("dashboard"), m, s, Fmt.num(s.trust()), trustChart(s),
                MemberReportRow.of(dashboard.reports(u.memberId(), null, null, null, null, 10)), accounts.weeklyReport(u.memberId()), n));
    }

    /** The member's recorded trust by day, then now. */
    static String trustChart(DashboardService.Summary s) {
        List<Svg.Point> points = new ArrayList<>();
        for (TrustHistoryStore.TrustPoint p : s.history()) {
            points.add(new Svg.Point(Fmt.day(p.at()), p.trust()));
        }
        points.add(new Svg.Point("now", s.trust()));
        return Svg.line("Your trust over time", points, 1.0, "#2f6fb3");
    }

    @POST
    @Path("settings/weekly")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response weekly(@RestForm("csrf") String csrf, @RestForm("weekly") String weekly) {
        WebUser u = visitor.requireUser();
        visitor.checkCsrf(csrf);
        boolean on = "on".equals(weekly);
        accounts.setWeeklyReport(u.memberId(), on);
        return Html.redirect("/dashboard?notice=" + (on ? "weekly-on" : "weekly-off"));
    }

    // ------------------------------------------------------------------ reports

    @GET
    @Path("reports")
    public Response reports(@QueryParam("outcome") String outcome, @QueryParam("verdict") String verdict,
                            @QueryParam("ip") String ip, @QueryParam("before") String before) {
        WebUser u = visitor.requireUser();
        return listPage(u, ReportForm.empty(), filter(outcome, verdict, ip, before), 200);
    }

    private Response listPage(WebUser u, ReportForm form, ReportFilter f, int status) {
        List<MemberReportRow> rows = MemberReportRow.of(dashboard.reports(u.memberId(), f.outcome(), f.verdict(), f.ip(), f.before(), 50));
        Long next = rows.size() == 50 ? rows.get(rows.size() - 1).id() : null;
        return Html.page(status, Templates.reports(visitor.nav("reports"), form, f, rows, next));
    }

    static ReportFilter filter(String outcome, String verdict, String ip, String before) {
        String o = outcome != null && DashboardService.OUTCOMES.contains(outcome) ? outcome : null;
        String v = verdict != null && DashboardService.VERDICTS.contains(verdict) ? verdict : null;
        String i = ip == null || ip.isBlank() ? null : ip.trim().length() > 64 ? ip.trim().substring(0, 64) : ip.trim();
        Long b = null;
        if (before != null && before.matches("\\d{1,18}")) {
            b = Long.parseLong(before);
        }
        return new ReportFilter(o, v, i, b);
    }

    /** IPs one per line; every line gets its own result, valid lines are filed even if others are not. */
    @POST
    @Path("reports")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response report(@RestForm("csrf") String csrf, @RestForm("ips") String ips, @RestForm("verdict") String verdict,
                           @RestForm("category") String category, @RestForm("note") String note) {
        WebUser u = visitor.requireUser();
        visitor.checkCsrf(csrf);
        String cat = Forms.blankToNull(category);
        String nt = Forms.blankToNull(note);
        ReportForm echo = new ReportForm(Forms.orEmpty(ips), "trusted".equals(verdict) ? "trusted" : "spam", Forms.orEmpty(cat),
                Forms.orEmpty(nt), List.of(), null, List.of(), List.of());
        ReportFilter none = new ReportFilter(null, null, null, null);
        List<String> lines = Forms.lines(ips);
        if (lines.isEmpty()) {
            return listPage(u, withResults(echo, List.of(new LineResult(0, "", false, "Enter at least one address, one per line."))), none, 422);
        }
        if (lines.size() > MAX_LINES) {
            return listPage(u, withResults(echo, List.of(new LineResult(0, "", false,
                    "At most " + MAX_LINES + " addresses per form; you sent " + lines.size() + "."))), none, 413);
        }
        Verdict v;
        try {
            // the API's rules, so that the form and the API never drift apart again
            v = ReportService.verdict(verdict, null);
            ReportService.category(cat, null);
            ReportService.note(nt, null);
        } catch (ProblemException e) {
            return listPage(u, withResults(echo, List.of(new LineResult(0, "", false, e.getMessage()))), none, 422);
        }
        LineResult[] results = new LineResult[lines.size()];
        List<JournalEntry> entries = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            try {
                var ip = reportService.validateTarget(line, null);
                entries.add(new JournalEntry.NewReport(u.memberId(), ip, v, cat, nt, "web", 1.0));
                positions.add(i);
            } catch (ProblemException e) {
                results[i] = new LineResult(i + 1, line, false, e.getMessage());
            }
        }
        if (!entries.isEmpty()) {
            try {
                List<Receipt> receipts = reportService.submit(new Caller(u.memberId(), null, u.role(), u.email()), entries)
                        .get(30, TimeUnit.SECONDS);
                for (int k = 0; k < receipts.size(); k++) {
                    int i = positions.get(k);
                    Receipt r = receipts.get(k);
                    results[i] = new LineResult(i + 1, lines.get(i), true, r.duplicate()
                            ? "already reported (report #" + r.duplicateOf() + "); counted once"
                            : "filed as report #" + r.id());
                }
            } catch (ProblemException e) {
                String msg = e.status() == 429 ? "Too many reports right now; nothing was filed. " + e.getMessage()
                        : e.getMessage();
                for (int i : positions) {
                    results[i] = new LineResult(i + 1, lines.get(i), false, msg);
                }
            } catch (ExecutionException e) {
                // the database refused this form's data (422): say why; anything else is "try later"
                String msg = e.getCause() instanceof ProblemException p && p.status() == 422 ? p.getMessage()
                        : "could not be stored right now; nothing was kept, try again later";
                for (int i : positions) {
                    results[i] = new LineResult(i + 1, lines.get(i), false, msg);
                }
            } catch (TimeoutException | CompletionException | JournalUnavailableException e) {
                for (int i : positions) {
                    results[i] = new LineResult(i + 1, lines.get(i), false, "could not be stored right now; nothing was kept, try again later");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PageException(503, "Interrupted", "Try again.");
            }
        }
        return listPage(u, withResults(echo, List.of(results)), none, 200);
    }

    private static ReportForm withResults(ReportForm f, List<LineResult> results) {
        return new ReportForm(f.ips(), f.verdict(), f.category(), f.note(), results, null, List.of(), List.of());
    }

    /** A pasted raw message: the source is found from its Received headers and the member's mail hosts. */
    @POST
    @Path("reports/raw")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response rawReport(@RestForm("csrf") String csrf, @RestForm("message") String message) {
        WebUser u = visitor.requireUser();
        visitor.checkCsrf(csrf);
        ReportFilter none = new ReportFilter(null, null, null, null);
        String msg = message == null ? "" : message.replaceAll("\r?\n", "\r\n");
        try {
            RawReportService.RawResult r = rawReports.submitRaw(u.memberId(), msg.getBytes(StandardCharsets.UTF_8), "web");
            return listPage(u, new ReportForm("", "spam", "", "", List.of(), null, r.reports(), r.errors()), none, 200);
        } catch (ProblemException e) {
            return listPage(u, new ReportForm("", "spam", "", "", List.of(), e.getMessage(), List.of(), List.of()), none,
                    e.status() >= 400 && e.status() < 500 ? e.status() : 422);
        } catch (JournalUnavailableException e) {
            return listPage(u, new ReportForm("", "spam", "", "", List.of(), "could not be stored right now; try again later",
                    List.of(), List.of()), none, 503);
        }
    }

    // ------------------------------------------------------------------ API keys

    @GET
    @Path("keys")
    public Response keys() {
        WebUser u = visitor.requireUser();
        return Html.page(Templates.keys(visitor.nav("keys"), visitor.publicUrl(), keyRows(u), null, null, null));
    }

    private List<KeyRow> keyRows(WebUser u) {
        List<KeyRow> out = new ArrayList<>();
        for (ApiKey k : members.keys(u.memberId())) {
            out.add(new KeyRow(k.id, k.label, k.scope, k.keyPrefix, Fmt.time(k.createdAt), k.lastUsedAt == null ? "never" : Fmt.time(k.lastUsedAt),
                    k.revokedAt != null));
        }
        return out;
    }

    /** The secret is rendered in this one response only; the database keeps its hash. */
    @POST
    @Path("keys")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response createKey(@RestForm("csrf") String csrf, @RestForm("label") String label, @RestForm("password") String password) {
        WebUser u = visitor.requireUser();
        visitor.checkCsrf(csrf);
        try {
            // a key outlives the session (logout, expiry, a password reset): whoever holds a session
            // cookie must not turn it into one, so the password is asked for, as the API asks for it
            authenticator.confirmPassword(u.email(), password, visitor.clientAddress());
        } catch (ProblemException e) {
            return Html.page(e.status() == 429 ? 429 : 422, Templates.keys(visitor.nav("keys"), visitor.publicUrl(), keyRows(u), null, null,
                    e.status() == 429 ? "Too many password attempts; try again later." : "Enter your current password to create a key."));
        }
        try {
            MemberService.NewKey k = members.createKey(new Caller(u.memberId(), null, u.role(), u.email()), label);
            return Html.page(Templates.keys(visitor.nav("keys"), visitor.publicUrl(), keyRows(u), k.key(), k.label(), null));
        } catch (ProblemException e) {
            return Html.page(422, Templates.keys(visitor.nav("keys"), visitor.publicUrl(), keyRows(u), null, null, e.getMessage()));
        }
    }

    @POST
    @Path("keys/{id}/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revokeKey(@PathParam("id") String id, @RestForm("csrf") String csrf) {
        WebUser u = visitor.requireUser();
        visitor.checkCsrf(csrf);
        if (id == null || !id.matches("\\d{1,18}")) {
            throw PageException.notFound("No such key.");
        }
        try {
            // the member's own caller (never admin here): another member's key is "not found"
            members.revokeKey(new Caller(u.memberId(), null, Member.ROLE_MEMBER, u.email()), Long.parseLong(id));
        } catch (ProblemException e) {
            throw PageException.notFound("No such key.");
        }
        return Html.redirect("/keys");
    }

    // ------------------------------------------------------------------ query key, rules, mail hosts

    @GET
    @Path("query-key")
    public Response queryKey() {
        WebUser u = visitor.requireUser();
        return Html.page(Templates.queryKey(visitor.nav("query-key"), accounts.byId(u.memberId()).queryKey, visitor.zone(), null));
    }

    @POST
    @Path("query-key")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response regenerateQueryKey(@RestForm("csrf") String csrf) {
        WebUser u = visitor.requireUser();
        visitor.checkCsrf(csrf);
        String k = members.regenerateQueryKey(u.memberId());
        return Html.page(Templates.queryKey(visitor.nav("query-key"), k, visitor.zone(),
                "A new query key is active; the old one stops working. Update your mail servers."));
    }

    @GET
    @Path("rules")
    public Response rulesPage() {
        WebUser u = visitor.requireUser();
        PersonalRules r = rules.get(u.memberId());
        return Html.page(Templates.rules(visitor.nav("rules"), r.threshold() == null ? "" : String.valueOf(r.threshold()),
                String.join("\n", r.allow()), String.join("\n", r.deny()), Fmt.num(engine.listThreshold()),
                accounts.byId(u.memberId()).queryKey, null, null));
    }

    @POST
    @Path("rules")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response saveRules(@RestForm("csrf") String csrf, @RestForm("threshold") String threshold,
                              @RestForm("allow") String allow, @RestForm("deny") String deny) {
        WebUser u = visitor.requireUser();
        visitor.checkCsrf(csrf);
        String qk = accounts.byId(u.memberId()).queryKey;
        String t = Forms.orEmpty(threshold).trim();
        Double th = null;
        if (!t.isEmpty()) {
            try {
                th = Double.parseDouble(t);
            } catch (NumberFormatException e) {
                return Html.page(422, Templates.rules(visitor.nav("rules"), t, Forms.orEmpty(allow), Forms.orEmpty(deny),
                        Fmt.num(engine.listThreshold()), qk, "The threshold must be a number like 1.5, or empty.", null));
            }
        }
        try {
            PersonalRules saved = rules.put(u.memberId(), new PersonalRules(th, Forms.lines(allow), Forms.lines(deny)));
            return Html.page(Templates.rules(visitor.nav("rules"), saved.threshold() == null ? "" : String.valueOf(saved.threshold()),
                    String.join("\n", saved.allow()), String.join("\n", saved.deny()), Fmt.num(engine.listThreshold()), qk, null,
                    "Saved. Your DNS view under your query key follows these rules now."));
        } catch (ProblemException e) {
            return Html.page(422, Templates.rules(visitor.nav("rules"), t, Forms.orEmpty(allow), Forms.orEmpty(deny),
                    Fmt.num(engine.listThreshold()), qk, e.getMessage(), null));
        }
    }

    @GET
    @Path("mailhosts")
    public Response mailhostsPage() {
        WebUser u = visitor.requireUser();
        return Html.page(Templates.mailhosts(visitor.nav("mailhosts"), String.join("\n", mailhosts.get(u.memberId())),
                reportAddress.of(accounts.byId(u.memberId()).reportAlias), null, null));
    }

    /** A new report address: mail to the old one is refused from now on (a leaked address files reports in your name). */
    @POST
    @Path("mailhosts/report-address")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response newReportAddress(@RestForm("csrf") String csrf) {
        WebUser u = visitor.requireUser();
        visitor.checkCsrf(csrf);
        String alias = reportAddress.of(members.regenerateReportAlias(u.memberId()));
        return Html.page(Templates.mailhosts(visitor.nav("mailhosts"), String.join("\n", mailhosts.get(u.memberId())), alias, null,
                "A new report address is active; mail to the old one is refused from now on."));
    }

    @POST
    @Path("mailhosts")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response saveMailhosts(@RestForm("csrf") String csrf, @RestForm("hosts") String hosts) {
        WebUser u = visitor.requireUser();
        visitor.checkCsrf(csrf);
        String alias = reportAddress.of(accounts.byId(u.memberId()).reportAlias);
        List<String> lines = Forms.lines(hosts);
        if (lines.size() > 200) {
            return Html.page(422, Templates.mailhosts(visitor.nav("mailhosts"), Forms.orEmpty(hosts), alias, "At most 200 mail hosts.", null));
        }
        try {
            List<String> saved = mailhosts.put(u.memberId(), lines);
            return Html.page(Templates.mailhosts(visitor.nav("mailhosts"), String.join("\n", saved), alias, null, "Saved."));
        } catch (ProblemException e) {
            return Html.page(422, Templates.mailhosts(visitor.nav("mailhosts"), Forms.orEmpty(hosts), alias, e.getMessage(), null));
        }
    }
}
