package net.trustbl.engine;

import net.trustbl.address.IpBlock;

/**
 * Everything the engine learns, as plain immutable facts with their time. The engine's state is a
 * pure function of the ordered event stream (plus the time it is asked about), so the service can
 * rebuild it by replaying the persisted events, and the simulator can drive it without a database.
 */
public sealed interface EngineEvent permits EngineEvent.MemberJoined, EngineEvent.ReportFiled,
        EngineEvent.TrapHit, EngineEvent.TrafficObserved, EngineEvent.DelistingRequested, EngineEvent.DelistingDecided, EngineEvent.HoldDismissed,
        EngineEvent.TrustPinned, EngineEvent.MemberSuspended, EngineEvent.AddressExcluded, EngineEvent.Tick {

    /** Event time in epoch milliseconds. */
    long atMillis();

    /** A member account exists from {@code atMillis} on (its age counts from then). */
    record MemberJoined(long memberId, long atMillis) implements EngineEvent { }

    /**
     * A member's report about an address or block.
     *
     * @param strength 1.0 for a normal report; lower for weaker evidence (e.g. 0.5 for a forwarded
     *                 message whose source was taken from the top Received line only)
     */
    record ReportFiled(long reportId, long memberId, IpBlock target, Verdict verdict, double strength,
                       long atMillis) implements EngineEvent { }

    /**
     * Mail from {@code ip} hit spam-trap addresses {@code hits} times.
     *
     * @param memberId the member whose gateway reported the hits, or null for the operator's own
     *                 trap network (full weight; also what journal rows written before trap hits
     *                 carried a submitter are read as). A member's trap evidence on one address
     *                 counts at most its trust times {@link EngineConfig#trapHitWeight()} in total,
     *                 and costs it a strike when the listing is later cleared.
     */
    record TrapHit(IpBlock ip, int hits, Long memberId, long atMillis) implements EngineEvent {

        /** Hits seen by the operator's trap network (no submitting member). */
        public TrapHit(IpBlock ip, int hits, long atMillis) {
            this(ip, hits, null, atMillis);
        }
    }

    /** The DNS responder saw {@code lookups} queries for {@code ip} since its last observation. */
    record TrafficObserved(IpBlock ip, long lookups, long atMillis) implements EngineEvent { }

    /**
     * Someone asked for a listed address to be delisted; a moderator will decide it
     * ({@link DelistingDecided}). Spammers ask too, so the request proves nothing about the address.
     */
    record DelistingRequested(IpBlock ip, long atMillis) implements EngineEvent { }

    /** A moderator decided a delisting request: upheld means the listing was wrong. */
    record DelistingDecided(IpBlock ip, boolean upheld, long atMillis) implements EngineEvent { }

    /**
     * A moderator looked at an address the engine held and found no spam there. A hold listed
     * nothing, so nobody is struck and no accounts are marked; where the address is listed all
     * the same (a coalition's earlier listing kept for a moderator, a disputed listing), the
     * listing was wrong, as with an upheld {@link DelistingDecided}.
     */
    record HoldDismissed(IpBlock ip, long atMillis) implements EngineEvent { }

    /**
     * A moderator granted an innocent address's request to be excluded from the block listing
     * around it: the block stays listed, the address is answered as not listed (see {@link Exclusions}).
     */
    record AddressExcluded(IpBlock ip, long atMillis) implements EngineEvent { }

    /** An admin pins a member's trust ({@code trust} null removes the pin). */
    record TrustPinned(long memberId, Double trust, long atMillis) implements EngineEvent { }

    /** A suspended member's reports stop counting (from now on and retroactively). */
    record MemberSuspended(long memberId, boolean suspended, long atMillis) implements EngineEvent { }

    /** The clock moved: lets listings expire. Results never depend on how often ticks come. */
    record Tick(long atMillis) implements EngineEvent { }
}
