package net.trustbl.engine;

import net.trustbl.address.IpBlock;
import org.junit.jupiter.api.Test;

import java.util.List;

import static net.trustbl.engine.EngineFixture.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the lookup page says about an address inside a snowshoe block: the block, and the addresses that made it. */
class SnowshoeLookupTest {

    @Test
    void anInnocentNeighbourLearnsWhichBlockAndWhichAddressesListedIt() {
        EngineFixture f = new EngineFixture();
        for (int i = 1; i <= 4; i++) {
            f.trap("203.18.60." + i, 2, T0 + i);
        }
        IpBlock neighbour = IpBlock.parse("203.18.60.200");
        assertTrue(f.listed("203.18.60.200", T0 + 10));
        assertEquals(IpBlock.parse("203.18.60.0/24"), f.engine.listedBlockAround(neighbour, T0 + 10));
        assertTrue(f.engine.explain(neighbour, T0 + 10).reason().contains("snowshoe"));
        List<IpBlock> causes = f.engine.listedInside(IpBlock.parse("203.18.60.0/24"), 10);
        assertEquals(List.of(IpBlock.parse("203.18.60.1"), IpBlock.parse("203.18.60.2"), IpBlock.parse("203.18.60.3"),
                IpBlock.parse("203.18.60.4")), causes);
        assertEquals(2, f.engine.listedInside(IpBlock.parse("203.18.60.0/24"), 2).size(), "bounded");
    }

    @Test
    void anAddressListedOnItsOwnEvidenceHasNoBlockAround() {
        EngineFixture f = new EngineFixture();
        f.trap("203.18.61.7", 2, T0);
        assertTrue(f.listed("203.18.61.7", T0 + 1));
        assertNull(f.engine.listedBlockAround(IpBlock.parse("203.18.61.7"), T0 + 1));
        assertNull(f.engine.listedBlockAround(IpBlock.parse("203.18.61.8"), T0 + 1), "a neighbour of one listed address is not listed");
    }
}
