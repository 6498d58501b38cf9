package net.trustbl.common.openapi;

import java.util.List;

/**
 * What the OpenAPI document says about each {@code /api/v1} route: summary, description, who may
 * call it, the status of success and an example. Kept in one table (rather than annotations on
 * every resource) so that the document reads as one text; ApiDocsTest fails for a route that is
 * missing here.
 */
final class ApiRoutes {

    /** Who may call a route: the security requirement the document shows. */
    enum Auth { NONE, BEARER, BASIC, BEARER_OR_BASIC }

    record Route(String method, String path, String tag, String summary, String description, Auth auth,
                 int status, String requestExample, String responseExample) { }

    private ApiRoutes() {
    }

    static final List<Route> ALL = List.of(
            new Route("POST", "/api/v1/members", "members", "Register a member",
                    "Open registration (or an admin key when registration is closed). Limited per client, per network "
                            + "and in all (429 + Retry-After). Until the email is confirmed the account's reports weigh nothing.",
                    Auth.NONE, 201, "{\"email\": \"postmaster@example.org\", \"password\": \"correct horse battery staple\"}",
                    "{\"id\": 42, \"queryKey\": \"k7f3q9x2\"}"),
            new Route("POST", "/api/v1/keys", "members", "Create an API key",
                    "HTTP Basic with the member's email and password. The key is shown only in this answer.",
                    Auth.BASIC, 201, "{\"label\": \"mail server\"}",
                    "{\"id\": 7, \"key\": \"tbl_2nV8s0dQ...\", \"label\": \"mail server\"}"),
            new Route("GET", "/api/v1/keys", "members", "List own API keys",
                    "Prefix, scope, label and last use of each key; never the key itself.", Auth.BEARER_OR_BASIC, 200, null,
                    "[{\"id\": 7, \"label\": \"mail server\", \"scope\": \"member\", \"prefix\": \"tbl_2nV8\", "
                            + "\"createdAt\": \"2026-11-20T09:00:00Z\", \"lastUsedAt\": \"2026-12-01T10:00:00Z\", \"revokedAt\": null}]"),
            new Route("DELETE", "/api/v1/keys/{id}", "members", "Revoke an API key",
                    "Own keys; an admin may revoke any key (audited).", Auth.BEARER_OR_BASIC, 204, null, null),
            new Route("GET", "/api/v1/me", "members", "Own trust and query key",
                    "Trust, strikes, whether the email is confirmed, and the DNS query key.", Auth.BEARER, 200, null,
                    "{\"id\": 42, \"email\": \"postmaster@example.org\", \"role\": \"member\", \"status\": \"active\", \"trust\": 0.31, "
                            + "\"pinned\": false, \"strikes\": 0, \"queryKey\": \"k7f3q9x2\", \"reportAlias\": \"r-8k2m4q\"}"),
            new Route("POST", "/api/v1/me/query-key", "members", "New DNS query key",
                    "Replaces the query key used in personal DNS lookups (<ip>.<query-key>.<zone>).", Auth.BEARER, 200, null,
                    "{\"id\": 42, \"queryKey\": \"p2m8z4c1\"}"),
            new Route("POST", "/api/v1/me/report-alias", "members", "New report address",
                    "Replaces the alias of the member's report address (mailed reports are filed in its owner's name); "
                            + "the old address stops working at once.", Auth.BEARER, 200, null,
                    "{\"id\": 42, \"reportAlias\": \"q3x7k2m9w4z5b6c8\"}"),
            new Route("POST", "/api/v1/reports", "reports", "Report addresses",
                    "One report or an array of up to trustbl.reports.max-batch. verdict is spam or trusted; blocks up to /24 "
                            + "(IPv4) and /64 (IPv6). 202 once journaled; a repeat within the duplicate window carries duplicateOf. "
                            + "Per-key rate (429 + Retry-After) and a daily cap per account.",
                    Auth.BEARER, 202, "{\"ip\": \"203.0.113.7\", \"verdict\": \"spam\", \"category\": \"phishing\", \"note\": \"fake bank login\"}",
                    "[{\"id\": 1234567}]"),
            new Route("GET", "/api/v1/reports", "reports", "Own reports and their outcome",
                    "Newest first; outcome is pending, confirmed, cleared or duplicate; weighed is false while the email is "
                            + "not confirmed. Page with before= and limit=.",
                    Auth.BEARER, 200, null,
                    "[{\"id\": 1234567, \"ip\": \"203.0.113.7\", \"verdict\": \"spam\", \"outcome\": \"pending\", \"weighed\": true, "
                            + "\"createdAt\": \"2026-12-01T10:00:00Z\"}]"),
            new Route("POST", "/api/v1/reports/raw", "reports", "Report a spam message",
                    "The whole message (message/rfc822, at most trustbl.evidence.max-message-size). The source is found by "
                            + "walking the Received headers through the member's own mail hosts. 422 when no source is found, 413 too big.",
                    Auth.BEARER, 202, null,
                    "{\"reports\": [{\"id\": 1234568, \"sourceIp\": \"198.51.100.23\", \"strength\": 1.0, \"rule\": \"first-untrusted-hop\"}], "
                            + "\"errors\": []}"),
            new Route("GET", "/api/v1/lookup/{ip}", "lookup", "Why an address is or is not listed",
                    "Score, bar (threshold), evidence counts, since when listed, when the listing lapses, and redacted "
                            + "samples; trusted: {returnCode 127.0.10.x, reason, since} when the address is in the allow zone "
                            + "(else null). Public: this is what a blocked sender reads. For an address that is not listed, "
                            + "evidenceWithheld is true and score, bar, the report and trap counts, evidence times and samples "
                            + "are null or empty (a score under the bar told farmed accounts where a report pays), unless an "
                            + "admin's key asks; a key that is not valid gets 401.",
                    Auth.NONE, 200, null,
                    "{\"ip\": \"203.0.113.7\", \"listed\": true, \"returnCode\": \"127.0.0.2\", \"score\": 1.2, \"threshold\": 1.0, "
                            + "\"listedSince\": \"2026-12-01T10:00:00Z\", \"expiresAt\": \"2026-12-02T22:00:00Z\", "
                            + "\"reason\": \"reports by trusted members\", \"samples\": [], \"trusted\": null, \"evidenceWithheld\": false}"),
            new Route("POST", "/api/v1/trap-hits", "traps", "Spam-trap hits",
                    "From a trap-feed key (full weight), an admin, or a member with trust of at least trustbl.traps.min-trust "
                            + "(weighs at most that trust per address).",
                    Auth.BEARER, 202, "[{\"ip\": \"198.51.100.23\", \"trapAddress\": \"trap@example.net\", \"at\": \"2026-12-01T10:00:00Z\"}]",
                    "{\"accepted\": 1}"),
            new Route("GET", "/api/v1/rules", "rules", "Own personal rules",
                    "Threshold and allow/deny lists served under the member's query key.", Auth.BEARER, 200, null,
                    "{\"threshold\": 0.8, \"allow\": [\"192.0.2.0/24\"], \"deny\": [\"198.51.100.23\"]}"),
            new Route("PUT", "/api/v1/rules", "rules", "Replace personal rules",
                    "Denied addresses answer 127.0.0.4 under the query key; allowed ones are never listed there.",
                    Auth.BEARER, 200, "{\"threshold\": 0.8, \"allow\": [\"192.0.2.0/24\"], \"deny\": [\"198.51.100.23\"]}",
                    "{\"threshold\": 0.8, \"allow\": [\"192.0.2.0/24\"], \"deny\": [\"198.51.100.23\"]}"),
            new Route("GET", "/api/v1/mailhosts", "intake", "Own mail hosts",
                    "The hosts the member's mail passes through (trusted hops of the Received walk).", Auth.BEARER, 200, null,
                    "{\"hosts\": [\"mx1.example.org\", \"192.0.2.25\"]}"),
            new Route("PUT", "/api/v1/mailhosts", "intake", "Replace own mail hosts",
                    "Names or addresses; forwarded spam is traced from the first hop not in this list.", Auth.BEARER, 200,
                    "{\"hosts\": [\"mx1.example.org\", \"192.0.2.25\"]}", "{\"hosts\": [\"mx1.example.org\", \"192.0.2.25\"]}"),
            new Route("GET", "/api/v1/watches", "watch", "Own watched networks",
                    "Sender watch: the networks whose listings and delistings are mailed to the member.", Auth.BEARER, 200, null,
                    "{\"watches\": [{\"id\": 3, \"memberId\": 42, \"network\": \"198.51.100.0/24\", \"label\": \"office\", "
                            + "\"createdAt\": \"2026-12-01T10:00:00Z\"}]}"),
            new Route("POST", "/api/v1/watches", "watch", "Watch a network",
                    "An address or CIDR block of public space, at most a /16 (IPv4) or /32 (IPv6), up to "
                            + "trustbl.watch.max-per-member watches; needs a confirmed email address (403). 409 when already watched.",
                    Auth.BEARER, 201, "{\"network\": \"198.51.100.0/24\", \"label\": \"office\"}",
                    "{\"id\": 3, \"memberId\": 42, \"network\": \"198.51.100.0/24\", \"label\": \"office\", "
                            + "\"createdAt\": \"2026-12-01T10:00:00Z\"}"),
            new Route("DELETE", "/api/v1/watches/{id}", "watch", "Stop watching a network",
                    "Own watches only; another member's watch is 404.", Auth.BEARER, 204, null, null),
            new Route("GET", "/api/v1/intake/aliases/{alias}", "intake", "Resolve a report alias",
                    "For the gateway in intake mode (scope intake, or admin): whether <alias>@<intake domain> belongs to a member.",
                    Auth.BEARER, 200, null, "{\"alias\": \"r-8k2m4q\", \"memberId\": 42}"),
            new Route("POST", "/api/v1/intake/raw/{alias}", "intake", "File a mailed report",
                    "For the gateway in intake mode (scope intake, or admin): a message mailed to the alias, filed as that "
                            + "member's raw report.",
                    Auth.BEARER, 202, null,
                    "{\"reports\": [{\"id\": 1234569, \"sourceIp\": \"198.51.100.23\", \"strength\": 1.0, \"rule\": \"first-untrusted-hop\"}], "
                            + "\"errors\": []}"),
            new Route("POST", "/api/v1/traffic", "machines", "Lookup counts from DNS responders",
                    "Scope traffic (standalone responders) or admin; at most 5000 entries; feeds the volume signal.",
                    Auth.BEARER, 202, "[{\"ip\": \"192.0.2.25\", \"lookups\": 17}]", "{\"accepted\": 1}"),
            new Route("GET", "/api/v1/export/rbldnsd/{format}", "machines", "The list as an rbldnsd dataset",
                    "format is ip4set or ip6trie. $TTL, $SOA and $NS lines, the default answer, the RFC 5782 test point, then "
                            + "one address or block per line. Strong ETag per serial: If-None-Match gives 304 while nothing "
                            + "changed; Accept-Encoding: gzip gets the body gzipped.",
                    Auth.NONE, 200, null, """
                    $TTL 2100
                    $SOA 60 ns1.bl.trustbl.test. hostmaster.bl.trustbl.test. 1733130000 3600 600 604800 60
                    $NS 2100 ns1.bl.trustbl.test.
                    # TrustBL listings, rbldnsd ip4set dataset
                    :127.0.0.2:Listed by TrustBL: https://trustbl.example/lookup/$
                    127.0.0.2
                    203.0.113.7
                    198.51.100.0/24 :127.0.0.3:Listed by TrustBL: https://trustbl.example/lookup/$
                    """),
            new Route("GET", "/api/v1/export/rbldnsd/allow/{format}", "machines", "The allow zone (trusted senders) as an rbldnsd dataset",
                    "As the list's export, for the allow zone (trustbl.dns.allow-zone): answers 127.0.10.x, 1 vouched for by "
                            + "established members, 2 long clean record, 3 a moderator's decision. Own serial and ETag.",
                    Auth.NONE, 200, null, """
                    $TTL 2100
                    $SOA 60 ns1.bl.trustbl.test. hostmaster.bl.trustbl.test. 41 3600 600 604800 60
                    $NS 2100 ns1.bl.trustbl.test.
                    # TrustBL trusted senders (allow zone), rbldnsd ip4set dataset
                    :127.0.10.2:Trusted by TrustBL: https://trustbl.example/lookup/$
                    127.0.0.2
                    192.0.2.25 :127.0.10.1:Trusted by TrustBL: https://trustbl.example/lookup/$
                    """),
            new Route("POST", "/api/v1/setup", "admin", "Create the first admin",
                    "With the one-time token printed in the log at first start (no admin yet); never a default password.",
                    Auth.NONE, 201, "{\"token\": \"4o35aKZz...\", \"email\": \"admin@example.org\", \"password\": \"a long passphrase\"}",
                    "{\"id\": 1, \"email\": \"admin@example.org\"}"),
            new Route("PUT", "/api/v1/admin/members/{id}/trust", "admin", "Pin a member's trust",
                    "Admins only; audited. A pinned member counts as established.", Auth.BEARER, 200,
                    "{\"trust\": 0.6, \"pinned\": true}", "{\"id\": 42, \"trust\": 0.6, \"pinned\": true, \"strikes\": 0}"),
            new Route("POST", "/api/v1/admin/members/{id}/suspension", "admin", "Suspend or reactivate a member",
                    "Admins only; audited. A suspended member's keys stop working and its query key is answered REFUSED.",
                    Auth.BEARER, 200, "{\"suspended\": true}", "{\"suspended\": true}"),
            new Route("POST", "/api/v1/admin/keys", "admin", "Create a scoped machine key",
                    "scope is traffic, intake or trap-feed; the key works on its scope's routes only (403 elsewhere) and is "
                            + "shown only here. Audited.",
                    Auth.BEARER, 201, "{\"scope\": \"traffic\", \"label\": \"dns-2\"}",
                    "{\"id\": 9, \"key\": \"tbl_m4c...\", \"label\": \"dns-2\", \"scope\": \"traffic\"}"),
            new Route("GET", "/api/v1/admin/keys", "admin", "List scoped machine keys",
                    "Every scoped key with owner, scope, prefix and use; never the key itself.", Auth.BEARER, 200, null,
                    "[{\"id\": 9, \"ownerId\": 1, \"label\": \"dns-2\", \"scope\": \"traffic\", \"prefix\": \"tbl_m4c\", "
                            + "\"createdAt\": \"2026-12-01T10:00:00Z\", \"lastUsedAt\": null, \"revokedAt\": null}]"));
}
