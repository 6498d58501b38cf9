package net.trustbl.ui;

import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import net.trustbl.address.IpBlock;
import net.trustbl.lookup.AddressFactsService;
import net.trustbl.moderation.ModerationService;
import net.trustbl.ui.PublicPages.DelistForm;
import net.trustbl.ui.PublicPages.Templates;
import org.jboss.resteasy.reactive.RestForm;

import java.time.Duration;

/**
 * The request to exclude one innocent address from the block listing around it (a snowshoe /24
 * listed because of its neighbours). Like a delisting request it is confirmed by mail, shares the
 * delisting limits ({@link DelistingLimits}) and waits for a moderator; granted, the address is
 * answered as not listed while the block stays listed.
 */
@Path("/")
@Blocking
@Produces(MediaType.TEXT_HTML)
public class ExclusionPages {

    @Inject
    Visitor visitor;

    @Inject
    AddressFactsService lookups;

    @Inject
    ModerationService moderation;

    @Inject
    DelistingLimits limits;

    @POST
    @Path("lookup/{ip: .+}/exclusion")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response requestExclusion(@PathParam("ip") String ip, @RestForm("csrf") String csrf,
                                     @RestForm("email") String email, @RestForm("message") String message) {
        visitor.checkCsrf(csrf);
        IpBlock address = PublicPages.parse(ip).orElseThrow(() -> PageException.notFound("not an address"));
        String e = email == null ? "" : email.trim();
        String m = message == null ? "" : message;
        LookupView v = LookupView.of(lookups.facts(address).forPublic());
        String refusal = refusal(v);
        if (refusal != null) {
            return page(409, v, new DelistForm(e, m, refusal, true));
        }
        String error = DelistForm.problem(e, m);
        if (error != null) {
            return page(422, v, new DelistForm(e, m, error, true));
        }
        long wait = limits.takeRequest(visitor.clientAddress(), e, address.toString());
        if (wait > 0) {
            return Response.fromResponse(page(429, v, new DelistForm(e, m, "Too many delisting requests from this email "
                            + "address or from your network. Please try again in " + Fmt.span(Duration.ofSeconds(wait)) + ".", true)))
                    .header("Retry-After", wait).build();
        }
        boolean mailed = moderation.requestExclusion(address, IpBlock.parse(v.blockListing().block()), e, m);
        return Html.page(Templates.delistingSent(visitor.nav("lookup"), address.toString(), e, mailed));
    }

    /** Why this address cannot be excluded (null: it can): only an address listed through a block around it. */
    static String refusal(LookupView v) {
        if (v.excludedFrom() != null) {
            return v.ip() + " is already excluded from the listing of " + v.excludedFrom() + ".";
        }
        if (v.blockListing() == null && v.listed()) {
            return v.ip() + " is listed on its own evidence, not because of the network around it, so it cannot be "
                    + "excluded from a block listing. Fix the cause and request delisting instead.";
        }
        if (v.blockListing() == null) {
            return v.ip() + " is not inside a listed block, so there is nothing to exclude it from.";
        }
        if (!v.blockListing().excludable()) {
            return "Only a single address can be excluded from a block listing, not the block " + v.ip() + ".";
        }
        return null;
    }

    private Response page(int status, LookupView v, DelistForm form) {
        return Html.page(status, Templates.lookup(visitor.nav("lookup"), v, form, null));
    }
}
