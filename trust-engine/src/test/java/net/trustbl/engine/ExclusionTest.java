package net.trustbl.engine;

import net.trustbl.address.IpBlock;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

import static net.trustbl.engine.EngineFixture.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A moderator excludes an innocent address from the block listing around it; the block stays listed. */
class ExclusionTest {

    static final IpBlock BLOCK = IpBlock.parse("203.18.60.0/24");
    static final IpBlock INNOCENT = IpBlock.parse("203.18.60.200");

    /** Four trapped addresses make the /24 a snowshoe listing. */
    private static EngineFixture listedBlock() {
        EngineFixture f = new EngineFixture();
        for (int i = 1; i <= 4; i++) {
            f.trap("203.18.60." + i, 2, T0 + i);
        }
        assertEquals(BLOCK, f.engine.listedBlockAround(INNOCENT, T0 + 10));
        return f;
    }

    @Test
    void anExcludedAddressIsNotListedWhileTheBlockAndItsOtherAddressesStayListed() {
        EngineFixture f = listedBlock();
        List<Decision> d = f.apply(new EngineEvent.AddressExcluded(INNOCENT, T0 + 20));
        List<Decision.ListingChanged> changes = EngineFixture.of(d, Decision.ListingChanged.class);
        assertEquals(1, changes.size());
        assertEquals(Decision.Change.EXCLUDED, changes.get(0).change());
        assertEquals(-1, changes.get(0).returnCode());
        assertEquals(INNOCENT, changes.get(0).ip());

        Explanation x = f.engine.explain(INNOCENT, T0 + 30);
        assertFalse(x.listed());
        assertTrue(x.reason().contains("excluded from block 203.18.60.0/24 by a moderator"), x.reason());
        assertFalse(f.engine.isListed(INNOCENT));
        assertNull(f.engine.listedBlockAround(INNOCENT, T0 + 30));
        assertEquals(BLOCK, f.engine.excludedFrom(INNOCENT));
        assertTrue(f.listed("203.18.60.201", T0 + 30), "a neighbour stays listed through the block");
        assertTrue(f.engine.isListed(IpBlock.parse("203.18.60.201")));
        assertTrue(f.engine.zoneEntries().contains(new Listing(INNOCENT, -1, f.engine.exclusions().get(0).explanation())));
        assertTrue(f.engine.listings().stream().noneMatch(l -> l.ip().equals(INNOCENT)), "an exclusion is not a listing");
    }

    @Test
    void anAddressListedOnItsOwnEvidenceCannotBeExcluded() {
        EngineFixture f = listedBlock();
        List<Decision> d = f.apply(new EngineEvent.AddressExcluded(IpBlock.parse("203.18.60.1"), T0 + 20));
        assertTrue(d.isEmpty(), d.toString());
        assertTrue(f.listed("203.18.60.1", T0 + 30));
    }

    @Test
    void anAddressOutsideAnyListedBlockIsNotExcluded() {
        EngineFixture f = new EngineFixture();
        assertTrue(f.apply(new EngineEvent.AddressExcluded(IpBlock.parse("198.51.7.9"), T0)).isEmpty());
        assertTrue(f.engine.exclusions().isEmpty());
    }

    @Test
    void theExclusionEndsBeforeTheAddressIsListedOnItsOwnEvidence() {
        EngineFixture f = listedBlock();
        f.apply(new EngineEvent.AddressExcluded(INNOCENT, T0 + 20));
        List<Decision.ListingChanged> changes = EngineFixture.of(f.trap(INNOCENT.toString(), 2, T0 + 40),
                Decision.ListingChanged.class);
        assertEquals(Decision.Change.EXCLUSION_ENDED, changes.get(0).change());
        assertEquals(Decision.Change.CREATED, changes.get(1).change());
        assertEquals(INNOCENT, changes.get(1).ip());
        assertTrue(f.listed(INNOCENT.toString(), T0 + 50));
        assertNull(f.engine.excludedFrom(INNOCENT));
    }

    @Test
    void theExclusionEndsWithTheBlockListing() {
        EngineFixture f = listedBlock();
        f.apply(new EngineEvent.AddressExcluded(INNOCENT, T0 + 20));
        long later = T0 + f.engine.config().listingTtlMillis() + EngineConfig.DAY;
        List<Decision.ListingChanged> changes = EngineFixture.of(f.apply(new EngineEvent.Tick(later)),
                Decision.ListingChanged.class);
        int blockRemoved = indexOf(changes, BLOCK, Decision.Change.REMOVED);
        int exclusionEnded = indexOf(changes, INNOCENT, Decision.Change.EXCLUSION_ENDED);
        assertTrue(blockRemoved >= 0 && exclusionEnded > blockRemoved, changes.toString());
        assertTrue(f.engine.exclusions().isEmpty());
    }

    @Test
    void aSnapshotCarriesTheExclusions() throws IOException {
        EngineFixture f = listedBlock();
        f.apply(new EngineEvent.AddressExcluded(INNOCENT, T0 + 20));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        EngineSnapshot.write(f.engine, new DataOutputStream(bytes));
        TrustEngine restored = EngineSnapshot.read(f.engine.config(),
                new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertEquals(BLOCK, restored.excludedFrom(INNOCENT));
        assertFalse(restored.isListed(INNOCENT));
        assertEquals(f.engine.zoneEntries(), restored.zoneEntries());
    }

    private static int indexOf(List<Decision.ListingChanged> changes, IpBlock ip, Decision.Change change) {
        for (int i = 0; i < changes.size(); i++) {
            if (changes.get(i).ip().equals(ip) && changes.get(i).change() == change) {
                return i;
            }
        }
        return -1;
    }
}
