package net.trustbl.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The trust engine: events in, decisions out. Plain Java, single-threaded (the caller serializes
 * calls), no I/O. Its state is a pure function of the ordered events applied so far.
 *
 * <p>SKELETON: signatures are the contract used by trust-service; the body is being written.
 */
public final class TrustEngine {

    private final EngineConfig config;

    public TrustEngine(EngineConfig config) {
        this.config = config;
    }

    public EngineConfig config() {
        return config;
    }

    /** Applies one event and hands every resulting decision to {@code out}, in order. */
    public void apply(EngineEvent event, Consumer<Decision> out) {
        throw new UnsupportedOperationException("engine not written yet");
    }

    /** Convenience form of {@link #apply(EngineEvent, Consumer)}. */
    public List<Decision> apply(EngineEvent event) {
        List<Decision> out = new ArrayList<>(2);
        apply(event, out::add);
        return out;
    }

    /** Why {@code ip} is or is not listed, as of {@code nowMillis}; works for any block. */
    public Explanation explain(IpBlock ip, long nowMillis) {
        throw new UnsupportedOperationException("engine not written yet");
    }

    /** Every current listing (including the RFC 5782 test point 127.0.0.2), in address order. */
    public List<Listing> listings() {
        throw new UnsupportedOperationException("engine not written yet");
    }

    /** The member's trust state, or null when the engine never heard of the member. */
    public MemberTrust member(long memberId) {
        throw new UnsupportedOperationException("engine not written yet");
    }
}
