package net.trustbl.engine.simulate;

import net.trustbl.engine.EngineEvent;
import net.trustbl.address.IpBlock;

import java.util.List;

/** A listing policy under test: the real engine or one of the baselines. Same events in, listings out. */
interface ListingModel {

    /** Short name used in tables and JSON (trustbl, scbl, trustic). */
    String name();

    void apply(EngineEvent event);

    /** Whether mail from this address would be refused right now. */
    boolean isListed(IpBlock ip);

    /** Addresses the model put on hold for a moderator since the last call (then forgotten). */
    default List<IpBlock> drainHeld() {
        return List.of();
    }
}
