package net.trustbl.watch;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import net.trustbl.common.ProblemException;
import net.trustbl.address.AddressClass;
import net.trustbl.address.IpBlock;

import java.util.List;

/**
 * Which networks a member watches. Listings are public (anyone can look an address up), so a
 * watch reveals nothing new; the limits keep one member from watching the whole Internet and
 * the mail going only to the member's own confirmed address keeps it from being a spam cannon.
 */
@ApplicationScoped
public class WatchService {

    public static final int MAX_LABEL = 100;

    @Inject
    WatchStore store;

    @Inject
    WatchConfig config;

    public List<Watch> list(long memberId) {
        return store.list(memberId);
    }

    /** Validates and adds one watch; the network is stored in canonical form (host bits cleared). */
    public Watch add(long memberId, String network, String label) {
        IpBlock block = parseNetwork(network);
        String l = label == null ? "" : label.strip();
        if (l.length() > MAX_LABEL) {
            throw ProblemException.invalid("label", "size", "a label has at most " + MAX_LABEL + " characters");
        }
        if (!store.emailConfirmed(memberId)) {
            throw ProblemException.forbidden("confirm your email address first: notices go only to a confirmed address");
        }
        Long id = store.insertWithin(memberId, block.toString(), l, config.maxPerMember());
        if (id != null && id == WatchStore.FULL) {
            throw ProblemException.invalid("network", "limit", "you already watch " + config.maxPerMember()
                    + " networks, the most one member may; remove one first");
        }
        if (id == null) {
            throw ProblemException.conflict("network", "you already watch " + block);
        }
        return store.list(memberId).stream().filter(w -> w.id() == id).findFirst().orElseThrow();
    }

    public void remove(long memberId, long watchId) {
        if (!store.delete(memberId, watchId)) {
            throw ProblemException.notFound("you have no watch " + watchId);
        }
    }

    IpBlock parseNetwork(String network) {
        IpBlock block;
        try {
            block = IpBlock.parse(network);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("network", "format", e.getMessage());
        }
        int widest = block.isV6() ? config.minPrefixV6() : config.minPrefixV4();
        if (block.prefixLength() < widest) {
            throw ProblemException.invalid("network", "size", "a watch covers at most a /" + widest
                    + (block.isV6() ? " (IPv6)" : " (IPv4)") + "; split wider networks into several watches");
        }
        if (block.addressClass() != AddressClass.PUBLIC) {
            throw ProblemException.invalid("network", "public", block + " is not public Internet address space; "
                    + "TrustBL never lists it");
        }
        return block;
    }
}
