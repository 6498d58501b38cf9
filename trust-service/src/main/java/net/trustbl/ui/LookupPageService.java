package net.trustbl.ui;

import net.trustbl.address.ReturnCode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import net.trustbl.address.AddressClass;
import net.trustbl.engine.Explanation;
import net.trustbl.address.IpBlock;
import net.trustbl.engine.TrustedSender;
import net.trustbl.listing.ListingHistoryStore;
import net.trustbl.listing.ListingService;
import net.trustbl.listing.ReverseDns;

import java.util.ArrayList;
import java.util.List;

/** Everything the lookup page says about one address, in words a blocked sender can act on. */
@ApplicationScoped
public class LookupPageService {

    /** Counts of reports by where they came from. */
    public record SourceCount(String source, long count) { }

    /** One forwarded spam, with personal data removed. */
    public record Sample(String receivedAt, String subject, String helo, String rdns) { }

    /** A past listing change of this address. */
    public record Change(String at, String change, String returnCode) { }

    /**
     * A listing that comes from a block around the address: the block, and the listed addresses
     * inside it that caused it; {@code excludable} when the address is a single one (its sender
     * may ask a moderator to exclude it from the block listing).
     */
    public record BlockListing(String block, List<String> causes, boolean excludable) { }

    /** Trusted-sender status (the allow zone): its 127.0.10.x answer, why and since when. */
    public record Trusted(String returnCode, String reason, String since) { }

    /** The address's reverse DNS; {@code name} null when it has none. */
    public record ReverseName(String name, boolean forwardConfirmed) { }

    public record LookupView(String ip, boolean listed, String returnCode, String meaning, String score, String threshold,
                             String since, String expires, String expiresIn, int spamReports, int positiveReports,
                             int trapHits, long lookups, String firstEvidence, String lastEvidence, boolean held,
                             boolean testPoint, String classNote, List<SourceCount> sources, List<Sample> samples,
                             List<Change> history, int openRequests, boolean showSubject, String reason,
                             BlockListing blockListing, ReverseName reverseName, Trusted trusted, String excludedFrom) {
        public String delistingAction() {
            return "/lookup/" + ip + "/delisting";
        }

        public String exclusionAction() {
            return "/lookup/" + ip + "/exclusion";
        }

        public boolean hasEvidence() {
            return spamReports > 0 || trapHits > 0 || positiveReports > 0;
        }
    }


    @Inject
    ListingService listings;

    @Inject
    ListingHistoryStore store;

    @Inject
    net.trustbl.moderation.ModerationService moderation;

    @Inject
    net.trustbl.listing.EvidenceSamples evidence;

    @Inject
    net.trustbl.trust.TrustEngineHost engine;

    @Inject
    WebConfig config;

    private volatile ReverseDns reverseDns;

    /** For tests: turns the subject column on or off. */
    void showSubject(boolean show) {
        evidence.showSubject(show);
    }

    /**
     * The page's facts. Reverse DNS is asked after the database work, outside its transaction, so
     * that a slow resolver never holds a database connection.
     */
    public LookupView view(IpBlock ip) {
        LookupView v = fromEngineAndDatabase(ip);
        if (v.testPoint() || ip.addressClass() != AddressClass.PUBLIC) {
            return v;
        }
        ReverseName name = reverseName(ip);
        return name == null ? v : new LookupView(v.ip(), v.listed(), v.returnCode(), v.meaning(), v.score(), v.threshold(),
                v.since(), v.expires(), v.expiresIn(), v.spamReports(), v.positiveReports(), v.trapHits(), v.lookups(),
                v.firstEvidence(), v.lastEvidence(), v.held(), v.testPoint(), v.classNote(), v.sources(), v.samples(),
                v.history(), v.openRequests(), v.showSubject(), v.reason(), v.blockListing(), name, v.trusted(), v.excludedFrom());
    }

    @Transactional
    LookupView fromEngineAndDatabase(IpBlock ip) {
        long now = System.currentTimeMillis();
        Explanation x = listings.explain(ip);
        AddressClass cls = ip.addressClass();
        boolean testPoint = cls == AddressClass.TEST_POINT_LISTED || cls == AddressClass.TEST_POINT_UNLISTED;
        String classNote = switch (cls) {
            case TEST_POINT_LISTED -> "127.0.0.2 is the RFC 5782 test point: it is always listed so that mail servers can check that the list works.";
            case TEST_POINT_UNLISTED -> "127.0.0.1 is the RFC 5782 test point that is never listed.";
            case PUBLIC -> null;
            default -> "This is not a public Internet address (" + cls.name().toLowerCase().replace('_', ' ')
                    + "); TrustBL never lists it.";
        };
        String key = ip.toString();
        List<SourceCount> sources = new ArrayList<>();
        for (ListingHistoryStore.ChannelCount c : store.spamReportsByChannel(key)) {
            sources.add(new SourceCount(switch (c.channel()) {
                case "email" -> "forwarded spam (mail)";
                case "web" -> "member reports (web form)";
                default -> "member reports (API)";
            }, c.count()));
        }
        List<Sample> samples = new ArrayList<>();
        boolean subjects = evidence.showsSubject();
        for (net.trustbl.listing.EvidenceSamples.Sample e : evidence.latest(key, 5)) {
            samples.add(new Sample(Fmt.time(e.receivedAt()), e.subject(), e.helo(), e.rdns()));
        }
        List<Change> history = new ArrayList<>();
        for (ListingHistoryStore.Change c : store.latestChanges(key, 10)) {
            history.add(new Change(Fmt.time(c.at()), c.change().replace('_', ' '), c.returnCode() <= 0 ? "" : ReturnCode.listedAddress(c.returnCode())));
        }
        int open = moderation.pendingFor(key).size();
        String code = x.listed() ? ReturnCode.listedAddress(x.returnCode()) : null;
        return new LookupView(key, x.listed(), code, meaning(x.returnCode()), Fmt.num(x.score()), Fmt.num(x.bar()),
                Fmt.time(x.listedSinceMillis()), Fmt.time(x.expiresAtMillis()), Fmt.relative(x.expiresAtMillis(), now),
                x.spamReports(), x.positiveReports(), x.trapHits(), x.lookups(), Fmt.time(x.firstEvidenceMillis()),
                Fmt.time(x.lastEvidenceMillis()), x.heldForModeration(), testPoint, classNote, sources, samples, history, open,
                subjects, x.reason(), blockListing(ip, now), null, trusted(ip), excludedFrom(ip));
    }

    private Trusted trusted(IpBlock ip) {
        TrustedSender t = engine.trustedSender(ip);
        return t == null ? null : new Trusted(ReturnCode.trustedAddress(t.code()), t.reason(), Fmt.time(t.sinceMillis()));
    }

    /** How many of the addresses that caused a block listing the page names. */
    static final int MAX_CAUSES = 20;

    private BlockListing blockListing(IpBlock ip, long now) {
        IpBlock block = engine.listedBlockAround(ip, now);
        if (block == null) {
            return null;
        }
        return new BlockListing(block.toString(), engine.listedInside(block, MAX_CAUSES).stream().map(IpBlock::toString).toList(),
                ip.isSingleAddress());
    }

    private String excludedFrom(IpBlock ip) {
        IpBlock block = engine.excludedFrom(ip);
        return block == null ? null : block.toString();
    }

    private ReverseName reverseName(IpBlock ip) {
        ReverseDns r = reverseDns();
        if (r == null) {
            return null;
        }
        return r.lookup(ip).map(x -> new ReverseName(x.name(), x.forwardConfirmed())).orElse(null);
    }

    private ReverseDns reverseDns() {
        WebConfig.ReverseDnsLookup c = config.reverseDns();
        if (!c.enabled()) {
            return null;
        }
        if (reverseDns == null) {
            try {
                org.xbill.DNS.Resolver resolver = c.resolver().isPresent()
                        ? new org.xbill.DNS.SimpleResolver(net.trustbl.dns.server.DnsConfig.hostPort(c.resolver().get(), 53))
                        : new org.xbill.DNS.ExtendedResolver();
                reverseDns = new ReverseDns(resolver, c.timeout(), java.time.Duration.ofMinutes(30), c.queriesPerSecond());
            } catch (RuntimeException e) {
                return null;
            }
        }
        return reverseDns;
    }

    static String meaning(int code) {
        ReturnCode listed = ReturnCode.of(ReturnCode.Zone.BLOCK, code);
        return code == 0 ? "not listed" : listed == null ? "listed" : listed.meaning();
    }

    /** Removes what could identify the recipients (see {@link net.trustbl.listing.EvidenceSamples#redact}). */
    static String redact(String subject) {
        return net.trustbl.listing.EvidenceSamples.redact(subject);
    }
}
