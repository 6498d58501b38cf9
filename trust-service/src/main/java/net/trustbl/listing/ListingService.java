package net.trustbl.listing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import net.trustbl.engine.Explanation;
import net.trustbl.address.IpBlock;
import net.trustbl.trust.TrustEngineHost;

/** Answers "is it listed and why" from the in-memory engine (no database on this path). */
@ApplicationScoped
public class ListingService {

    @Inject
    TrustEngineHost engine;

    public Explanation explain(IpBlock ip) {
        return engine.explain(ip, System.currentTimeMillis());
    }

    /** The listed block a moderator excluded {@code ip} from, or null. */
    public IpBlock excludedFrom(IpBlock ip) {
        return engine.excludedFrom(ip);
    }
}
