package net.trustbl.ui;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The operator's own texts: listing policy and privacy notice. Each comes from the file the
 * operator configures ({@code trustbl.web.operator.policy-file}, {@code privacy-file}), plain text
 * with paragraphs separated by blank lines, or from the shipped text. Read on each view (they are
 * small and rarely viewed) so an edit shows without a restart.
 */
@Path("/")
@Blocking
@Produces(MediaType.TEXT_HTML)
public class SitePages {

    private static final Logger LOG = Logger.getLogger(SitePages.class);

    /** Longer files are cut: these pages are public and must stay cheap. */
    static final int MAX_BYTES = 64 * 1024;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance text(Nav nav, String title, List<String> paragraphs);
    }

    @Inject
    Visitor visitor;

    @Inject
    WebConfig config;

    @GET
    @Path("policy")
    public Response policy() {
        return Html.page(Templates.text(visitor.nav("policy"), "Listing policy",
                paragraphs(config.operator().policyFile(), "/site/policy.txt")));
    }

    @GET
    @Path("privacy")
    public Response privacy() {
        return Html.page(Templates.text(visitor.nav("privacy"), "Privacy",
                paragraphs(config.operator().privacyFile(), "/site/privacy.txt")));
    }

    private List<String> paragraphs(Optional<java.nio.file.Path> file, String shipped) {
        String text = null;
        if (file.isPresent()) {
            try (InputStream in = Files.newInputStream(file.get())) {
                text = new String(in.readNBytes(MAX_BYTES), StandardCharsets.UTF_8);
            } catch (IOException e) {
                LOG.warnf("cannot read %s (%s): showing the shipped text", file.get(), e.getMessage());
            }
        }
        if (text == null) {
            try (InputStream in = SitePages.class.getResourceAsStream(shipped)) {
                text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                text = "";
            }
        }
        String operator = config.operator().name();
        return Arrays.stream(text.replace("\r\n", "\n").replace("{operator}", operator).split("\n\\s*\n"))
                .map(p -> p.strip().replaceAll("\\s*\n\\s*", " ")).filter(p -> !p.isEmpty()).toList();
    }
}
