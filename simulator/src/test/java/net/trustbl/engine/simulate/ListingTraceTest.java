package net.trustbl.engine.simulate;

import net.trustbl.engine.EngineConfig;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `ops/bench/simulate --trace` replays a world as the scored run does: its counts of spam sent
 * while listed give the same spam-caught shares as Simulation, and its timelines show the
 * reports with their reporters' trust.
 */
class ListingTraceTest {

    private static final Pattern HEADER = Pattern.compile(
            "of ([0-9,]+) spam messages after the warm-up, sent while listed: trustbl ([0-9,]+), scbl ([0-9,]+)");

    private static long number(String s) {
        return Long.parseLong(s.replace(",", ""));
    }

    /** A world of the sweep where members report rarely: TrustBL lists some sources later than scbl. */
    private static Scenario quietWorld() {
        return WorldSampler.draw(44, 6).stream().filter(w -> w.name.equals("world-44-6")).findFirst().orElseThrow();
    }

    @Test
    void itReplaysTheScoredRunAndShowsTheReportsBehindTheGaps() throws Exception {
        Scenario world = quietWorld();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new ListingTrace(EngineConfig.defaults()).print(world, 3, false, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);

        Matcher header = HEADER.matcher(out);
        assertTrue(header.find(), out.lines().findFirst().orElse(""));
        double all = number(header.group(1));
        Simulation.Result scored = new Simulation(EngineConfig.defaults()).run(quietWorld(), false);
        assertEquals(scored.number("trustbl", "spamCaughtShare"), Math.round(number(header.group(2)) / all * 1e4) / 1e4, 1e-9);
        assertEquals(scored.number("scbl", "spamCaughtShare"), Math.round(number(header.group(3)) / all * 1e4) / 1e4, 1e-9);

        assertTrue(Pattern.compile("spam scbl caught and trustbl did not.*\n +[0-9,]+ +[0-9]+  (late|never) spam: ").matcher(out).find(),
                "the gaps, by the engine's first hold");
        assertTrue(Pattern.compile("report by m[0-9]+ \\((accurate|careless|seed|attack account)\\): trust [0-9.]+, [0-9]+ days old")
                .matcher(out).find(), "a timeline shows who reported and with what trust");
        assertTrue(Pattern.compile("report by m[0-9]+ .* -> score [0-9]+\\.[0-9]{2} of bar [0-9]+\\.[0-9]{2}$", Pattern.MULTILINE)
                .matcher(out).find(), "a report that led to no decision shows the score it left against the bar");
    }
}
