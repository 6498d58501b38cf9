package net.trustbl.lookup;

import net.trustbl.address.ReturnCode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import net.trustbl.address.AddressClass;
import net.trustbl.engine.Explanation;
import net.trustbl.address.IpBlock;
import net.trustbl.common.ReverseDnsConfig;
import net.trustbl.engine.TrustedSender;
import net.trustbl.listing.EvidenceSamples;
import net.trustbl.listing.ListingHistoryStore;
import net.trustbl.listing.ListingService;
import net.trustbl.listing.ReverseDns;
import net.trustbl.lookup.AddressFacts.BlockListing;
import net.trustbl.lookup.AddressFacts.Change;
import net.trustbl.lookup.AddressFacts.ReverseName;
import net.trustbl.lookup.AddressFacts.SourceCount;
import net.trustbl.lookup.AddressFacts.Trusted;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything the lookup page says about one address ({@link AddressFacts}), in words a blocked
 * sender can act on; the page formats the numbers and times. It brings together the listing, the
 * trust engine and the moderation queue, so it sits above them in a package of its own.
 */
@ApplicationScoped
public class AddressFactsService {

    @Inject
    ListingService listings;

    @Inject
    ListingHistoryStore store;

    @Inject
    net.trustbl.moderation.ModerationService moderation;

    @Inject
    EvidenceSamples evidence;

    @Inject
    net.trustbl.trust.TrustEngineHost engine;

    @Inject
    ReverseDnsConfig config;

    private volatile ReverseDns reverseDns;

    /**
     * The page's facts. Reverse DNS is asked after the database work, outside its transaction, so
     * that a slow resolver never holds a database connection.
     */
    public AddressFacts facts(IpBlock ip) {
        AddressFacts f = fromEngineAndDatabase(ip);
        if (f.testPoint() || ip.addressClass() != AddressClass.PUBLIC) {
            return f;
        }
        ReverseName name = reverseName(ip);
        return name == null ? f : f.withReverseName(name);
    }

    @Transactional
    AddressFacts fromEngineAndDatabase(IpBlock ip) {
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
        boolean subjects = evidence.showsSubject();
        List<EvidenceSamples.Sample> samples = evidence.latest(key, 5);
        List<Change> history = new ArrayList<>();
        for (ListingHistoryStore.Change c : store.latestChanges(key, 10)) {
            history.add(new Change(c.at(), c.change().replace('_', ' '), c.returnCode() <= 0 ? "" : ReturnCode.listedAddress(c.returnCode())));
        }
        int open = moderation.pendingFor(key).size();
        String code = x.listed() ? ReturnCode.listedAddress(x.returnCode()) : null;
        return new AddressFacts(key, x.listed(), code, meaning(x.returnCode()), x.score(), x.bar(), x.listedSinceMillis(),
                x.expiresAtMillis(), now, x.spamReports(), x.positiveReports(), x.trapHits(), x.lookups(), x.firstEvidenceMillis(),
                x.lastEvidenceMillis(), x.heldForModeration(), testPoint, classNote, sources, samples, history, open,
                subjects, x.reason(), blockListing(ip, now), null, trusted(ip), excludedFrom(ip), false);
    }

    private Trusted trusted(IpBlock ip) {
        TrustedSender t = engine.trustedSender(ip);
        return t == null ? null : new Trusted(ReturnCode.trustedAddress(t.code()), t.reason(), t.sinceMillis());
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
        if (!config.enabled()) {
            return null;
        }
        if (reverseDns == null) {
            try {
                org.xbill.DNS.Resolver resolver = config.resolver().isPresent()
                        ? new org.xbill.DNS.SimpleResolver(net.trustbl.dns.config.DnsConfig.hostPort(config.resolver().get(), 53))
                        : new org.xbill.DNS.ExtendedResolver();
                reverseDns = new ReverseDns(resolver, config.timeout(), java.time.Duration.ofMinutes(30), config.queriesPerSecond());
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
}
