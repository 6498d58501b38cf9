package net.trustbl.ui;

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
import net.trustbl.address.IpBlock;
import net.trustbl.moderation.ModerationService;
import net.trustbl.stats.StatsService;
import net.trustbl.trust.TrustEngineHost;
import net.trustbl.lookup.AddressFactsService;
import org.jboss.resteasy.reactive.RestForm;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Pages anyone can see: home, lookup (the page the TXT record links to), delisting, statistics. */
@Path("/")
@Blocking
@Produces(MediaType.TEXT_HTML)
public class PublicPages {

    /** What the delisting (or, {@code exclusion}, the exclusion) form shows again after an error. */
    public record DelistForm(String email, String message, String error, boolean exclusion) {
        DelistForm(String email, String message, String error) {
            this(email, message, error, false);
        }

        static DelistForm empty() {
            return new DelistForm("", "", null);
        }

        /** What is wrong with the email or the message (null: nothing); both forms ask the same. */
        static String problem(String email, String message) {
            // length first: the pattern recurses once per label, and a few kilobytes of ".a" overflow the stack
            if (email.length() > 254 || !Forms.EMAIL.matcher(email).matches()) {
                return "Please give an email address where we can reach you; we send a confirmation link there.";
            }
            if (message.length() > ModerationService.MAX_MESSAGE) {
                return "Please keep the message under " + ModerationService.MAX_MESSAGE + " characters.";
            }
            return null;
        }

        // what each of the lookup page's two request forms shows again (the other one starts empty)

        public String delistingEmail() {
            return exclusion ? "" : email;
        }

        public String delistingMessage() {
            return exclusion ? "" : message;
        }

        public String delistingError() {
            return exclusion ? null : error;
        }

        public String exclusionEmail() {
            return exclusion ? email : "";
        }

        public String exclusionMessage() {
            return exclusion ? message : "";
        }

        public String exclusionError() {
            return exclusion ? error : null;
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance home(Nav nav, String zone, String publicUrl, String threshold);

        static native TemplateInstance lookupForm(Nav nav, String ip, String error);

        static native TemplateInstance lookup(Nav nav, LookupView v, DelistForm form, String notice);

        static native TemplateInstance delistingSent(Nav nav, String ip, String email, boolean mailed);

        static native TemplateInstance delistingConfirmed(Nav nav, ModerationService.Item item);

        static native TemplateInstance delistingConfirm(Nav nav, ModerationService.Item item, String token);

        static native TemplateInstance stats(Nav nav, StatsService.Stats stats, StatsCharts charts);
    }

    @Inject
    Visitor visitor;

    @Inject
    PageErrors errors;

    @Inject
    AddressFactsService lookups;

    @Inject
    ModerationService moderation;

    @Inject
    StatsService stats;

    @Inject
    TrustEngineHost engine;

    @Inject
    DelistingLimits limits;

    /** The charts of the figures last shown (the figures change at most once a minute, see {@link StatsService}). */
    private volatile StatsCharts charts;

    @GET
    public Response home() {
        return Html.page(Templates.home(visitor.nav("home"), visitor.zone(), visitor.publicUrl(), Fmt.num(engine.listThreshold())));
    }

    @GET
    @Path("lookup")
    public Response lookupForm(@QueryParam("ip") String ip) {
        if (ip != null && !ip.isBlank()) {
            String t = ip.trim();
            try {
                IpBlock.parse(t);
            } catch (IllegalArgumentException e) {
                return Html.page(422, Templates.lookupForm(visitor.nav("lookup"), t, e.getMessage()));
            }
            return Html.redirect("/lookup/" + URLEncoder.encode(t, StandardCharsets.UTF_8).replace("%2F", "/").replace("%3A", ":"));
        }
        return Html.page(Templates.lookupForm(visitor.nav("lookup"), "", null));
    }

    @GET
    @Path("lookup/{ip: .+}")
    public Response lookup(@PathParam("ip") String ip) {
        Optional<IpBlock> block = parse(ip);
        if (block.isEmpty()) {
            return Html.page(422, Templates.lookupForm(visitor.nav("lookup"), ip, "\"" + abbreviate(ip) + "\" is not an IPv4 or IPv6 address or CIDR block."));
        }
        return Html.page(Templates.lookup(visitor.nav("lookup"), LookupView.of(shownFacts(block.get())), DelistForm.empty(), null));
    }

    /**
     * A delisting request: rate-limited per client and per requester email, and parked as
     * "unconfirmed" until the requester clicks the link mailed to them (so the queue holds only
     * reachable people). Confirmations are limited per address; unconfirmed requests expire.
     */
    @POST
    @Path("lookup/{ip: .+}/delisting")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response requestDelisting(@PathParam("ip") String ip, @RestForm("csrf") String csrf,
                                     @RestForm("email") String email, @RestForm("message") String message) {
        visitor.checkCsrf(csrf);
        IpBlock block = parse(ip).orElseThrow(() -> PageException.notFound("not an address"));
        String e = email == null ? "" : email.trim();
        String m = message == null ? "" : message;
        LookupView v = LookupView.of(shownFacts(block));
        if (!v.listed()) {
            return Html.page(409, Templates.lookup(visitor.nav("lookup"), v, new DelistForm(e, m, null),
                    "This address is not listed, so there is nothing to remove."));
        }
        String error = DelistForm.problem(e, m);
        if (error != null) {
            return Html.page(422, Templates.lookup(visitor.nav("lookup"), v, new DelistForm(e, m, error), null));
        }
        // an unconfirmed request costs the address's confirmations nothing (anyone may ask, nobody can
        // use up the owner's quota); it is limited per requester email, per client and in all (with a
        // reserve per listed network), confirmations per address
        long wait = limits.takeRequest(visitor.clientAddress(), e, block.toString());
        if (wait > 0) {
            return Response.fromResponse(Html.page(429, Templates.lookup(visitor.nav("lookup"), v, new DelistForm(e, m,
                    "Too many delisting requests from this email address or from your network. Please try again in "
                            + Fmt.span(java.time.Duration.ofSeconds(wait)) + "."), null)))
                    .header("Retry-After", wait).build();
        }
        boolean mailed = moderation.requestDelisting(block, e, m);
        return Html.page(Templates.delistingSent(visitor.nav("lookup"), block.toString(), e, mailed));
    }

    /** Confirmed reports a member needs before its disputes reach the moderators (pinned members need none). */
    static final int DISPUTE_MIN_CONFIRMED_REPORTS = 3;

    @Inject
    net.trustbl.member.AccountStanding standing;

    /** A member disputes a listing: goes straight to the moderators. */
    @POST
    @Path("lookup/{ip: .+}/dispute")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response dispute(@PathParam("ip") String ip, @RestForm("csrf") String csrf, @RestForm("message") String message) {
        SessionService.WebUser u = visitor.requireUser();
        visitor.checkCsrf(csrf);
        IpBlock block = parse(ip).orElseThrow(() -> PageException.notFound("not an address"));
        LookupView v = LookupView.of(shownFacts(block));
        if (!v.listed()) {
            // as for delisting requests: a moderator's "the dispute is wrong" on an address that is not
            // listed would confirm whatever reports wait on it and list it (DelistingDecided(ip, false))
            return Html.page(409, Templates.lookup(visitor.nav("lookup"), v, DelistForm.empty(),
                    "This address is not listed, so there is no listing to dispute."));
        }
        net.trustbl.engine.MemberTrust record = engine.member(u.memberId());
        if (!standing.confirmed(u.memberId()) || record == null // the engine learns of a member with its first event
                || !(record.pinned() || record.confirmedReports() >= DISPUTE_MIN_CONFIRMED_REPORTS)) {
            // a dispute goes to the moderators without a mailed confirmation, and its rejection
            // confirms the listing's reports: free accounts by the thousand must not fill the queue
            // (3 an hour each) or farm trust that way. Anyone can still ask for delisting below.
            return Html.page(403, Templates.lookup(visitor.nav("lookup"), v, DelistForm.empty(),
                    "Disputes are for members with a track record: a confirmed email address and at least "
                            + DISPUTE_MIN_CONFIRMED_REPORTS + " reports confirmed by the network. Anyone can ask for"
                            + " this address's delisting with the form on this page."));
        }
        if (!limits.tryDispute(u.memberId())) {
            throw new PageException(429, "Too many disputes", "Please wait before filing another dispute.");
        }
        try {
            moderation.dispute(u.memberId(), u.email(), block, message);
        } catch (ProblemException e) {
            throw new PageException(422, "Cannot file the dispute", e.getMessage());
        }
        return Html.page(Templates.lookup(visitor.nav("lookup"), v, DelistForm.empty(),
                "Your dispute was filed; a moderator will decide it."));
    }

    /**
     * The link in the confirmation mail shows a button; only the button's POST confirms. Mail
     * systems open links to scan them, and a GET that confirmed would let a scanner confirm a
     * request its recipient never made. The POST also reaches the journal writer when the page is
     * served by a standby (standbys answer GETs themselves and cannot journal the request).
     */
    @GET
    @Path("delisting/confirm")
    public Response confirmDelistingForm(@QueryParam("token") String token) {
        Optional<ModerationService.Item> pending = moderation.peekDelisting(token);
        if (pending.isEmpty()) {
            return Html.page(404, Templates.delistingConfirmed(visitor.nav("lookup"), null));
        }
        return Html.page(Templates.delistingConfirm(visitor.nav("lookup"), pending.get(), token));
    }

    @POST
    @Path("delisting/confirm")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response confirmDelisting(@RestForm("csrf") String csrf, @RestForm("token") String token) {
        visitor.checkCsrf(csrf);
        Optional<ModerationService.Item> pending = moderation.peekDelisting(token);
        if (pending.isPresent()) {
            // confirmed requests are what counts per address; the link stays valid until it expires
            long wait = limits.takeConfirmation(pending.get().ip());
            if (wait > 0) {
                return Response.fromResponse(errors.page(new PageException(429, "Too many requests for this address",
                        "Several confirmed delisting requests for " + pending.get().ip() + " reached the moderators in the last hour. "
                                + "Your link stays valid for 48 hours: please open it again in "
                                + Fmt.span(java.time.Duration.ofSeconds(wait)) + ".")))
                        .header("Retry-After", wait).build();
            }
        }
        Optional<ModerationService.Item> item = moderation.confirmDelisting(token);
        if (pending.isPresent() && item.isEmpty()) {
            limits.refundConfirmation(pending.get().ip()); // used or expired meanwhile: nothing reached the moderators
        }
        return Html.page(item.isPresent() ? 200 : 404, Templates.delistingConfirmed(visitor.nav("lookup"), item.orElse(null)));
    }

    @GET
    @Path("stats")
    public Response stats() {
        StatsService.Stats s = stats.stats();
        StatsCharts c = charts;
        if (c == null || c.stats() != s) {
            c = StatsCharts.of(s);
            charts = c;
        }
        return Html.page(Templates.stats(visitor.nav("stats"), s, c));
    }

    /** The lookup page's facts: whole for a signed-in admin, the public view for anyone else (EvidenceDisclosure). */
    private net.trustbl.lookup.AddressFacts shownFacts(IpBlock block) {
        net.trustbl.lookup.AddressFacts f = lookups.facts(block);
        return visitor.user().map(SessionService.WebUser::isAdmin).orElse(false) ? f : f.forPublic();
    }

    static Optional<IpBlock> parse(String ip) {
        if (ip == null || ip.length() > 64) {
            return Optional.empty();
        }
        try {
            return Optional.of(IpBlock.parse(ip.trim()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static String abbreviate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}
