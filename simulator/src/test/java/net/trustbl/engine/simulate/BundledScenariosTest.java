package net.trustbl.engine.simulate;

import net.trustbl.engine.EngineConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 3's acceptance rules, on every bundled scenario, with the engine's default settings
 * (the same engine classes the service runs).
 */
class BundledScenariosTest {

    static List<String> scenarios() {
        return ScenarioLoader.BUNDLED;
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void trustBlBeatsBothBaselines(String name) throws Exception {
        // the checks only: the engine's speed is a figure of ops/bench/simulate, not a timed test
        Simulation.Result r = new Simulation(EngineConfig.defaults()).run(ScenarioLoader.load(name), false);

        assertEquals(0, r.number("trustbl", "bigProvidersListed"), "no big-provider address is ever listed");
        assertEquals(0, r.attackTargetsListed("trustbl", Scenario.AttackKind.sybil), "the sybil flood lists nobody");

        double falseHours = r.number("trustbl", "falseListingSenderHours");
        for (String baseline : List.of("scbl", "trustic")) {
            double theirs = r.number(baseline, "falseListingSenderHours");
            assertTrue(theirs == 0 ? falseHours == 0 : falseHours <= theirs / 10,
                    name + ": false-listing sender-hours " + falseHours + " vs " + baseline + " " + theirs);
        }
        double caught = r.number("trustbl", "spamCaughtShare");
        assertTrue(caught >= r.number("scbl", "spamCaughtShare"),
                name + ": spam caught " + caught + " vs scbl " + r.number("scbl", "spamCaughtShare"));
        assertTrue(caught > 0.3, "the engine does catch spam");
        // every check, new-server's targets included (<= 10 %: the coalition signature, README rule 4)
        assertTrue(r.failedChecks().isEmpty(), r.failedChecks().toString());
    }
}
