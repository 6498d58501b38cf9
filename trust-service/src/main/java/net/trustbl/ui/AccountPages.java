package net.trustbl.ui;

import net.trustbl.member.AccountService;
import net.trustbl.common.WebSecret;
import net.trustbl.mail.UnsubscribeLinks;
import net.trustbl.common.RateLimiter;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import net.trustbl.admin.AdminBootstrap;
import net.trustbl.common.ProblemException;
import net.trustbl.common.TrustBlConfig;
import net.trustbl.mail.MailTokens;
import net.trustbl.mail.Mails;
import net.trustbl.member.Authenticator;
import net.trustbl.member.Member;
import net.trustbl.member.MemberService;
import net.trustbl.member.RegistrationThrottle;
import org.jboss.resteasy.reactive.RestForm;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** Register, confirm, log in/out, reset a password, first-admin setup, mail opt-out. */
@Path("/")
@Blocking
@Produces(MediaType.TEXT_HTML)
public class AccountPages {

    static final Duration CONFIRM_TTL = Duration.ofHours(48);
    static final Duration RESET_TTL = Duration.ofHours(1);

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance register(Nav nav, boolean open, String email, String error);

        static native TemplateInstance message(Nav nav, String title, String text, String linkHref, String linkText);

        static native TemplateInstance confirmLink(Nav nav, String title, String text, String action, String token, String button);

        static native TemplateInstance login(Nav nav, String email, String next, String error, String notice);

        static native TemplateInstance resetRequest(Nav nav, String error);

        static native TemplateInstance resetPassword(Nav nav, String token, String error);

        static native TemplateInstance setup(Nav nav, String token, String email, String error);

        static native TemplateInstance unsubscribe(Nav nav, String member, String sig, boolean done);
    }

    @Inject
    Visitor visitor;


    @Inject
    MemberService members;

    @Inject
    Authenticator authenticator;

    @Inject
    AccountService accounts;

    @Inject
    MailTokens tokens;

    @Inject
    Mails mails;

    @Inject
    SessionService sessions;

    @Inject
    AdminBootstrap bootstrap;

    @Inject
    WebSecret secret;

    @Inject
    TrustBlConfig config;

    @Inject
    WebConfig webConfig;

    @Inject
    RegistrationThrottle registrations;

    private volatile RateLimiter loginPerAccount;
    private volatile RateLimiter failuresPerClient;
    private final RateLimiter mailsPerAddress = new RateLimiter(3 / 3600.0, 3);
    /** Reset requests per client (IPv4 address, IPv6 /64) and hour: each may mail someone. */
    private final RateLimiter resetsPerClient = new RateLimiter(10 / 3600.0, 10);

    // ------------------------------------------------------------------ register / confirm

    @GET
    @Path("register")
    public Response registerForm() {
        return Html.page(Templates.register(visitor.nav("register"), config.registration().open(), "", null));
    }

    @POST
    @Path("register")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response register(@RestForm("csrf") String csrf, @RestForm("email") String email,
                             @RestForm("password") String password, @RestForm("password2") String password2) {
        visitor.checkCsrf(csrf);
        String e = Forms.orEmpty(email).trim();
        if (!config.registration().open()) {
            return Html.page(403, Templates.register(visitor.nav("register"), false, e, null));
        }
        if (password == null || !password.equals(password2)) {
            return Html.page(422, Templates.register(visitor.nav("register"), true, e, "The two passwords differ."));
        }
        try {
            registrations.charge(visitor.clientAddress()); // the same limits as POST /api/v1/members
        } catch (ProblemException p) {
            return Response.fromResponse(Html.page(429, Templates.register(visitor.nav("register"), true, e,
                    "Too many registrations from your network; try again later."))).header("Retry-After", p.retryAfterSeconds()).build();
        }
        Member m;
        try {
            m = members.register(e, password, Member.ROLE_MEMBER);
        } catch (ProblemException p) {
            return Html.page(p.status() == 409 ? 409 : 422, Templates.register(visitor.nav("register"), true, e, p.getMessage()));
        }
        boolean sent = sendConfirmation(m);
        return Html.page(Templates.message(visitor.nav("register"), "Check your mail",
                sent ? "We sent a confirmation link to " + m.email + ". Open it within 48 hours, then log in."
                        : "Your account exists, but the confirmation mail could not be sent right now. "
                        + "Log in later and we will send it again.",
                "/login", "Go to the login page"));
    }

    private boolean sendConfirmation(Member m) {
        tokens.voidOpen(MailTokens.CONFIRM_EMAIL, m.id);
        String token = tokens.issue(MailTokens.CONFIRM_EMAIL, m.id, null, CONFIRM_TTL);
        return mails.sendEmailConfirmation(m.email, visitor.publicUrl() + "/confirm?token=" + token);
    }

    /**
     * The link in the mail shows a button and only its POST confirms: mail systems open links to
     * scan them, and a GET that confirmed would let anyone who registers a stranger's address get it
     * confirmed by the stranger's link scanner.
     */
    @GET
    @Path("confirm")
    public Response confirmForm(@QueryParam("token") String token) {
        Optional<MailTokens.TokenUse> use = tokens.peek(MailTokens.CONFIRM_EMAIL, token);
        if (use.isEmpty() || use.get().memberId() == null) {
            return invalidConfirmation();
        }
        return Html.page(Templates.confirmLink(visitor.nav(""), "Confirm your address",
                "Confirm that this address belongs to your TrustBL account. If you did not register at TrustBL, close this page.",
                "/confirm", token, "Confirm my address"));
    }

    @POST
    @Path("confirm")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response confirm(@RestForm("csrf") String csrf, @RestForm("token") String token) {
        visitor.checkCsrf(csrf);
        Optional<MailTokens.TokenUse> use = tokens.consume(MailTokens.CONFIRM_EMAIL, token);
        if (use.isEmpty() || use.get().memberId() == null) {
            return invalidConfirmation();
        }
        accounts.confirmEmail(use.get().memberId());
        return Html.page(Templates.message(visitor.nav(""), "Address confirmed",
                "Thank you. Your address is confirmed and you can log in now.", "/login", "Log in"));
    }

    private Response invalidConfirmation() {
        return Html.page(404, Templates.message(visitor.nav(""), "Link not valid",
                "This confirmation link is unknown, used or expired. Log in to get a new one.", "/login", "Log in"));
    }

    // ------------------------------------------------------------------ login / logout

    @GET
    @Path("login")
    public Response loginForm(@QueryParam("next") String next) {
        if (visitor.user().isPresent()) {
            return Html.redirect(Html.safeNext(next, "/dashboard"));
        }
        return Html.page(Templates.login(visitor.nav("login"), "", Html.safeNext(next, ""), null, null));
    }

    /**
     * Rate-limited twice: per account (every attempt, so one account cannot be guessed at) and per
     * client address (failures only, so one address cannot spray many accounts).
     */
    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response login(@RestForm("csrf") String csrf, @RestForm("email") String email,
                          @RestForm("password") String password, @RestForm("next") String next) {
        visitor.checkCsrf(csrf);
        String e = Forms.orEmpty(email).trim().toLowerCase(Locale.ROOT);
        String back = Html.safeNext(next, "");
        String account = "account:" + (e.length() > 254 ? e.substring(0, 254) : e);
        String client = "client:" + visitor.clientIp();
        // the per-account limit stops guessing from many networks; a browser that logged into the
        // account before is exempt, or anyone could keep the owner out by guessing a few times a minute
        Member named = e.isEmpty() || e.length() > 254 ? null : Member.find("email", e).firstResult();
        boolean knownDevice = named != null && visitor.knownDevice(named.id, named.passwordHash);
        // both tokens are taken before the (slow) password check, so parallel guesses cannot share
        // one; a success gives them back (only failures count)
        long wait = failuresPerClient().tryAcquire(client) ? 0 : Math.max(1, failuresPerClient().waitSeconds(client));
        if (wait == 0 && !knownDevice && !loginPerAccount().tryAcquire(account)) {
            wait = Math.max(1, loginPerAccount().waitSeconds(account));
            failuresPerClient().refund(client); // refused for the account's sake: not this client's failure
        }
        if (wait > 0) {
            return Response.fromResponse(Html.page(429, Templates.login(visitor.nav("login"), e, back,
                    "Too many login attempts. Wait " + Fmt.span(Duration.ofSeconds(wait)) + " and try again.", null)))
                    .header("Retry-After", wait).build();
        }
        Member m;
        try {
            m = authenticator.checkPassword(named, password); // looked up above: one query per attempt
        } catch (ProblemException p) {
            String msg = p.status() == 403 ? "This account is suspended. Contact the TrustBL administrators." : "Wrong email or password.";
            return Html.page(p.status() == 403 ? 403 : 401, Templates.login(visitor.nav("login"), e, back, msg, null));
        }
        failuresPerClient().refund(client); // the right password: not a failure
        if (!m.emailConfirmed && !m.isAdmin()) {
            boolean sent = mailsPerAddress.tryAcquire("confirm:" + m.id) && sendConfirmation(m);
            return Html.page(403, Templates.login(visitor.nav("login"), e, back,
                    "Please confirm your email address first. " + (sent ? "We just sent you a new link." : "Use the link we sent you."), null));
        }
        if (!knownDevice) {
            loginPerAccount().refund(account); // only failures count against the account
        }
        visitor.login(m.id);
        visitor.rememberDevice(m.id, m.passwordHash);
        return Html.redirect(Html.safeNext(back, m.isAdmin() ? "/admin/moderation" : "/dashboard"));
    }

    @POST
    @Path("logout")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response logout(@RestForm("csrf") String csrf) {
        visitor.checkCsrf(csrf);
        visitor.logout();
        return Html.redirect("/");
    }

    // ------------------------------------------------------------------ password reset

    @GET
    @Path("reset")
    public Response resetForm() {
        return Html.page(Templates.resetRequest(visitor.nav("login"), null));
    }

    /** Always the same answer, whether the address is known or not (no account enumeration). */
    @POST
    @Path("reset")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response requestReset(@RestForm("csrf") String csrf, @RestForm("email") String email) {
        visitor.checkCsrf(csrf);
        if (!resetsPerClient.tryAcquire(visitor.clientIp())) {
            throw new PageException(429, "Too many reset requests", "Please wait an hour before asking for another reset link.");
        }
        String e = Forms.orEmpty(email).trim().toLowerCase(Locale.ROOT);
        Optional<Member> m = accounts.byEmail(e);
        if (m.isPresent() && m.get().isActive() && mailsPerAddress.tryAcquire("reset:" + m.get().id)) {
            tokens.voidOpen(MailTokens.RESET_PASSWORD, m.get().id);
            String token = tokens.issue(MailTokens.RESET_PASSWORD, m.get().id, null, RESET_TTL);
            mails.sendPasswordResetLater(m.get().email, visitor.publicUrl() + "/reset/password?token=" + token);
        }
        return Html.page(Templates.message(visitor.nav("login"), "Check your mail",
                "If an account with this address exists, a reset link is on its way. It works once, for one hour.",
                "/login", "Back to the login page"));
    }

    @GET
    @Path("reset/password")
    public Response resetPasswordForm(@QueryParam("token") String token) {
        if (tokens.peek(MailTokens.RESET_PASSWORD, token).isEmpty()) {
            return Html.page(404, Templates.message(visitor.nav("login"), "Link not valid",
                    "This reset link is unknown, used or expired.", "/reset", "Ask for a new link"));
        }
        return Html.page(Templates.resetPassword(visitor.nav("login"), token, null));
    }

    @POST
    @Path("reset/password")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response resetPassword(@RestForm("csrf") String csrf, @RestForm("token") String token,
                                  @RestForm("password") String password, @RestForm("password2") String password2) {
        visitor.checkCsrf(csrf);
        if (tokens.peek(MailTokens.RESET_PASSWORD, token).isEmpty()) {
            return Html.page(404, Templates.message(visitor.nav("login"), "Link not valid",
                    "This reset link is unknown, used or expired.", "/reset", "Ask for a new link"));
        }
        if (password == null || !password.equals(password2)) {
            return Html.page(422, Templates.resetPassword(visitor.nav("login"), token, "The two passwords differ."));
        }
        if (password.length() < MemberService.MIN_PASSWORD || password.length() > MemberService.MAX_PASSWORD) {
            return Html.page(422, Templates.resetPassword(visitor.nav("login"), token,
                    "The password must have " + MemberService.MIN_PASSWORD + " to " + MemberService.MAX_PASSWORD + " characters."));
        }
        Optional<MailTokens.TokenUse> use = tokens.consume(MailTokens.RESET_PASSWORD, token);
        if (use.isEmpty()) {
            return Html.page(404, Templates.message(visitor.nav("login"), "Link not valid",
                    "This reset link was just used.", "/reset", "Ask for a new link"));
        }
        long id = use.get().memberId();
        boolean wasConfirmed = accounts.byId(id).emailConfirmed;
        accounts.setPassword(id, password);
        accounts.confirmEmail(id); // the mail reached its owner
        sessions.closeAll(id);
        int revoked = members.secureAfterReset(id, wasConfirmed);
        return Html.page(Templates.message(visitor.nav("login"), "Password changed",
                "Your new password is set and every other session was logged out."
                        + (revoked > 0 ? " Your " + revoked + " API key" + (revoked == 1 ? " was" : "s were")
                        + " revoked: make new ones on the keys page." : "")
                        + (wasConfirmed ? "" : " Your report address and DNS query key were replaced too, since this"
                        + " address was confirmed only now."), "/login", "Log in"));
    }

    // ------------------------------------------------------------------ first admin

    @GET
    @Path("setup")
    public Response setupForm(@QueryParam("token") String token) {
        return Html.page(Templates.setup(visitor.nav(""), Forms.orEmpty(token), "", null));
    }

    @POST
    @Path("setup")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response setup(@RestForm("csrf") String csrf, @RestForm("token") String token, @RestForm("email") String email,
                          @RestForm("password") String password, @RestForm("password2") String password2) {
        visitor.checkCsrf(csrf);
        String e = Forms.orEmpty(email).trim();
        if (password == null || !password.equals(password2)) {
            return Html.page(422, Templates.setup(visitor.nav(""), Forms.orEmpty(token), e, "The two passwords differ."));
        }
        if (!failuresPerClient().tryAcquire("setup:" + visitor.clientIp())) {
            return Html.page(429, Templates.setup(visitor.nav(""), Forms.orEmpty(token), e, "Too many attempts; wait a minute."));
        }
        Member admin;
        try {
            admin = bootstrap.completeSetup(token, e, password);
        } catch (ProblemException p) {
            return Html.page(p.status(), Templates.setup(visitor.nav(""), Forms.orEmpty(token), e, p.getMessage()));
        }
        accounts.confirmEmail(admin.id);
        visitor.login(admin.id);
        return Html.redirect("/admin/moderation");
    }

    // ------------------------------------------------------------------ weekly mail opt-out

    @GET
    @Path("unsubscribe")
    public Response unsubscribeForm(@QueryParam("m") String member, @QueryParam("sig") String sig) {
        if (!validUnsubscribe(member, sig)) {
            throw PageException.notFound("This opt-out link is not valid.");
        }
        return Html.page(Templates.unsubscribe(visitor.nav(""), member, sig, false));
    }

    /**
     * Stops the weekly mail: from the page's button (m and sig in the form) or from a mail client's
     * RFC 8058 one-click POST to the List-Unsubscribe link (m and sig in the query, body
     * "List-Unsubscribe=One-Click", no cookies). The member's signature is the authorization, so
     * no CSRF token is needed: a forger cannot make a valid link.
     */
    @POST
    @Path("unsubscribe")
    @Consumes({MediaType.APPLICATION_FORM_URLENCODED, MediaType.MULTIPART_FORM_DATA})
    public Response unsubscribe(@QueryParam("m") String queryMember, @QueryParam("sig") String querySig,
                                @RestForm("m") String formMember, @RestForm("sig") String formSig) {
        String member = formMember != null ? formMember : queryMember;
        String sig = formSig != null ? formSig : querySig;
        if (!validUnsubscribe(member, sig)) {
            throw PageException.notFound("This opt-out link is not valid.");
        }
        accounts.setWeeklyReport(Long.parseLong(member), false);
        return Html.page(Templates.unsubscribe(visitor.nav(""), member, sig, true));
    }

    private boolean validUnsubscribe(String member, String sig) {
        return UnsubscribeLinks.valid(secret, member, sig);
    }

    private synchronized RateLimiter loginPerAccount() { // one instance, even when first asked in parallel
        if (loginPerAccount == null) {
            loginPerAccount = new RateLimiter(webConfig.login().attemptsPerMinute() / 60.0, webConfig.login().burst());
        }
        return loginPerAccount;
    }

    private synchronized RateLimiter failuresPerClient() {
        if (failuresPerClient == null) {
            failuresPerClient = new RateLimiter(webConfig.login().attemptsPerMinute() * 3 / 60.0, webConfig.login().burst() * 3);
        }
        return failuresPerClient;
    }
}
