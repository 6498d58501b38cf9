package net.trustbl.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.util.List;
import java.util.Optional;

/**
 * Every setting of the gateway, under the prefix {@code gateway}. The key names are public contract
 * (docs/gateway.md); environment variables work too (GATEWAY_LISTEN, GATEWAY_DNSBL_SITES…).
 */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig extends SessionSettings, ListSettings, MessageCheckSettings {

    /** host:port the SMTP server binds to. */
    @WithDefault("127.0.0.1:2525")
    String listen();

    /** host:port of the real mail server behind the gateway (proxy mode). */
    @WithDefault("127.0.0.1:10025")
    String downstream();

    /** proxy (before-queue filter in front of an MTA) or intake (MX of the trust-service report domain). */
    @WithDefault("proxy")
    String mode();

    /** Name used in the banner, in EHLO to the downstream and in added headers. */
    @WithDefault("gateway.localdomain")
    String hostname();

    /**
     * Tell the downstream the real client with XFORWARD (NAME, ADDR, PROTO, HELO) before every
     * MAIL when it offers XFORWARD: its logs and Received line then show the client (Postfix:
     * smtpd_authorized_xforward_hosts).
     */
    @WithDefault("true")
    boolean xforward();

    /**
     * Tell the downstream the real client with XCLIENT when it offers it, so its restrictions judge
     * the client instead of the gateway (Postfix: smtpd_authorized_xclient_hosts). Off by default:
     * the downstream must be set up for it (docs/gateway.md).
     */
    @WithDefault("false")
    boolean xclient();

    /**
     * Where a refused sender or its postmaster learns more: a URL or a contact address, named in
     * every refusal after the session id (e.g. "https://example.org/mail-refused" or
     * "postmaster@example.org").
     */
    @WithName("refusal-info")
    Optional<String> refusalInfo();

    /** Filter names in the order they run; each filter binds itself to its stages. */
    @WithDefault("allow-deny,sanity,dnsbl,fcrdns,helo-dns,spf,sender-domain,spam-trap,recipients,greylist,size,attachments,content,external")
    List<String> filters();

    /** The default of {@code gateway.data-dir}, also read before Quarkus starts (the embedded database). */
    String DEFAULT_DATA_DIR = "data";

    /** Folder for the embedded database, the generated TLS key and the external checker's spool. */
    @WithName("data-dir")
    @WithDefault(DEFAULT_DATA_DIR)
    String dataDir();

    Limits limits();

    Smuggling smuggling();

    Tls tls();

    Lists allow();

    Lists deny();

    Dnsbl dnsbl();

    Dns dns();

    Greylist greylist();

    @WithName("sender-domain")
    SenderDomain senderDomain();

    Traps traps();

    Recipients recipients();

    Tarpit tarpit();

    Attachments attachments();

    Content content();

    External external();

    @WithName("trust-service")
    TrustService trustService();

    Intake intake();

    Sanity sanity();

    Dsn dsn();

    /** SPF, forward-confirmed reverse DNS and HELO checks of the client (filters spf, fcrdns, helo-dns). */
    @WithName("client-checks")
    ClientChecks clientChecks();

    /** Reloading without a restart: file watch, SIGHUP (POST /console/reload is always there). */
    Reload reload();
}
