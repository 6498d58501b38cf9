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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import net.trustbl.common.ProblemException;
import net.trustbl.ui.SessionService.WebUser;
import net.trustbl.watch.Watch;
import net.trustbl.watch.WatchConfig;
import net.trustbl.watch.WatchService;
import org.jboss.resteasy.reactive.RestForm;

import java.util.List;

/** Sender watch on the web: a member's watched networks, added and removed with the same rules as the API. */
@Path("/watches")
@Blocking
@Produces(MediaType.TEXT_HTML)
public class WatchPages {

    /** What the add form shows again after an error. */
    public record WatchForm(String network, String label) { }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance watches(Nav nav, List<Watch> watches, WatchForm form, int max, String error, String notice);
    }

    @Inject
    Visitor visitor;


    @Inject
    WatchService watches;

    @Inject
    WatchConfig config;

    @GET
    public Response page() {
        WebUser u = visitor.requireUser();
        return Html.page(render(u, new WatchForm("", ""), null, null));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response add(@RestForm("csrf") String csrf, @RestForm("network") String network, @RestForm("label") String label) {
        WebUser u = visitor.requireUser();
        visitor.checkCsrf(csrf);
        WatchForm form = new WatchForm(Forms.orEmpty(network), Forms.orEmpty(label));
        try {
            Watch w = watches.add(u.memberId(), network, label);
            return Html.page(render(u, new WatchForm("", ""), null, "Watching " + w.network() + "."));
        } catch (ProblemException e) {
            return Html.page(e.status() == 409 ? 409 : 422, render(u, form, e.getMessage(), null));
        }
    }

    @POST
    @Path("{id}/remove")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response remove(@PathParam("id") String id, @RestForm("csrf") String csrf) {
        WebUser u = visitor.requireUser();
        visitor.checkCsrf(csrf);
        if (id == null || !id.matches("\\d{1,18}")) {
            throw PageException.notFound("No such watch.");
        }
        try {
            watches.remove(u.memberId(), Long.parseLong(id));
        } catch (ProblemException e) {
            throw PageException.notFound("No such watch.");
        }
        return Html.redirect("/watches");
    }

    private TemplateInstance render(WebUser u, WatchForm form, String error, String notice) {
        return Templates.watches(visitor.nav("watches"), watches.list(u.memberId()), form, config.maxPerMember(), error, notice);
    }
}
