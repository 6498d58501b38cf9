package net.trustbl.engine.simulate;

import net.trustbl.engine.EngineConfig;
import net.trustbl.engine.EngineEvent;
import net.trustbl.address.IpBlock;
import net.trustbl.engine.Verdict;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static net.trustbl.engine.EngineConfig.HOUR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulatorPartsTest {

    private static final long T = 1_800_000_000_000L;
    private static final IpBlock IP = IpBlock.parse("45.1.2.3");

    @Test
    void aNewSendersLookupsPassEveryStepInItsFirstTwoIntervalsAsTheServiceJournalsThem() {
        FirstSightTraffic traffic = new FirstSightTraffic(2);
        traffic.passesAtOnce(1);
        traffic.endInterval();
        traffic.passesAtOnce(1);
        traffic.endInterval(); // sender 1 was seen in the two intervals before: known
        StringBuilder passes = new StringBuilder();
        for (int interval = 0; interval < 3; interval++) {
            for (int step = 0; step < 6; step++) {
                passes.append(traffic.passesAtOnce(0) ? 'P' : '.');
                assertFalse(traffic.passesAtOnce(1), "a known sender's counts wait for the interval's end");
            }
            passes.append('|');
            traffic.endInterval();
        }
        assertEquals("PPPPPP|PPPPPP|......|", passes.toString(),
                "first sight and every step of its first interval and the next, then the interval's end");
        traffic.endInterval();
        traffic.endInterval(); // two intervals unseen: new again
        assertTrue(traffic.passesAtOnce(0));
    }

    @Test
    void scblListsOnOneFreshReportButNotOnOneOldOneAndIgnoresDelisting() {
        ScblModel scbl = new ScblModel();
        scbl.apply(new EngineEvent.ReportFiled(1, 1, IP, Verdict.SPAM, 1, T));
        assertTrue(scbl.isListed(IP), "a fresh report weighs 4 >= 2");
        scbl.apply(new EngineEvent.DelistingDecided(IP, true, T + HOUR));
        assertTrue(scbl.isListed(IP), "SpamCop does not delist on request");
        scbl.apply(new EngineEvent.Tick(T + 24 * HOUR));
        assertFalse(scbl.isListed(IP), "24 h after the last report");

        ScblModel busy = new ScblModel();
        busy.apply(new EngineEvent.TrafficObserved(IP, 10_000, T));
        busy.apply(new EngineEvent.ReportFiled(1, 1, IP, Verdict.SPAM, 1, T));
        assertFalse(busy.isListed(IP), "10,000 lookups raise the bar to 10");
        busy.apply(new EngineEvent.TrapHit(IP, 2, T));
        assertTrue(busy.isListed(IP), "4 + 2 x 5 >= 10");
    }

    @Test
    void trusticTrustRisesWithEveryReport() {
        TrusticModel trustic = new TrusticModel();
        for (long m = 1; m <= 9; m++) {
            trustic.apply(new EngineEvent.ReportFiled(m, m, IP, Verdict.SPAM, 1, T));
        }
        assertFalse(trustic.isListed(IP), "9 new members x 0.1 < 1.0");
        trustic.apply(new EngineEvent.ReportFiled(10, 10, IP, Verdict.SPAM, 1, T));
        assertTrue(trustic.isListed(IP));
        trustic.apply(new EngineEvent.DelistingDecided(IP, true, T + HOUR));
        assertFalse(trustic.isListed(IP));
        // member 1 has now filed one report: 0.15, and keeps climbing however wrong it was
        IpBlock other = IpBlock.parse("45.1.2.4");
        for (int i = 0; i < 20; i++) {
            trustic.apply(new EngineEvent.ReportFiled(100 + i, 1, IpBlock.parse("46.0.0." + (i + 1)), Verdict.SPAM, 1, T + 2 * HOUR));
        }
        trustic.apply(new EngineEvent.ReportFiled(200, 1, other, Verdict.SPAM, 1, T + 3 * HOUR));
        assertTrue(trustic.isListed(other), "one busy member lists alone");
    }

    @Test
    void sameSeedSameResultsAndEveryEngineSeesTheSameStream() throws IOException {
        Scenario s = ScenarioLoader.load("baseline");
        s.days = 4;
        s.warmupDays = 1;
        GeneratedRun a = new StreamGenerator(s).generate();
        GeneratedRun b = new StreamGenerator(s).generate();
        assertEquals(a.events.length, b.events.length);
        for (int i = 0; i < a.events.length; i += 97) {
            assertEquals(a.events[i], b.events[i]);
        }
        Map<String, Object> r1 = new Simulation(EngineConfig.defaults()).run(s, false).engines().get("trustbl");
        Map<String, Object> r2 = new Simulation(EngineConfig.defaults()).run(s, false).engines().get("trustbl");
        assertEquals(r1, r2);
    }

    @Test
    void scenarioFilesAreCheckedStrictly(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path typo = dir.resolve("typo.json");
        Files.writeString(typo, "{\"name\":\"x\",\"dayz\":3}");
        assertThrows(IOException.class, () -> ScenarioLoader.load(typo.toString()));
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"name\":\"x\",\"days\":3,\"warmupDays\":5}");
        assertThrows(IllegalArgumentException.class, () -> ScenarioLoader.load(bad.toString()));
        assertThrows(IOException.class, () -> ScenarioLoader.load("no-such-scenario"));
        Path ok = dir.resolve("tiny.json");
        Files.writeString(ok, "{\"name\":\"tiny\",\"days\":2,\"warmupDays\":1,"
                + "\"senders\":[{\"type\":\"spam\",\"count\":5,\"messagesPerHour\":100,\"spamShare\":1,\"trapHitsPerThousand\":5}],"
                + "\"members\":[{\"kind\":\"accurate\",\"count\":3}]}");
        Simulation.Result r = new Simulation(EngineConfig.defaults()).run(ScenarioLoader.load(ok.toString()));
        assertEquals("tiny", r.scenario());
        assertTrue(r.number("trustbl", "spamCaughtShare") > 0.5, "trap hits list the spam sources");
        assertTrue(r.trustblEventsPerSecond() > 0, "a scenario run measures the engine's speed");
        assertEquals(0, new Simulation(EngineConfig.defaults()).run(ScenarioLoader.load(ok.toString()), false).trustblEventsPerSecond(),
                "and a run that is told not to does not replay the stream");
    }

    @Test
    void overridesReplaceOneSetting() {
        EngineConfig c = ConfigOverrides.apply(EngineConfig.defaults(), Map.of("trapHitWeight", "0.25", "listingTtlMillis", "1000"));
        assertEquals(0.25, c.trapHitWeight());
        assertEquals(1000, c.listingTtlMillis());
        assertEquals(EngineConfig.defaults().listThreshold(), c.listThreshold());
        assertThrows(IllegalArgumentException.class, () -> ConfigOverrides.apply(EngineConfig.defaults(), Map.of("nope", "1")));
    }

    @Test
    void sweptWorldsAreValidScenariosThatRoundTripThroughTheirFiles(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        java.util.List<Scenario> worlds = WorldSampler.draw(5, 30);
        java.util.Set<Scenario.AttackKind> kinds = java.util.EnumSet.noneOf(Scenario.AttackKind.class);
        for (Scenario w : worlds) {
            assertTrue(w.attacks.size() >= 1 && w.attacks.size() <= 3, "one to three attacks");
            w.attacks.forEach(a -> kinds.add(a.kind));
            Path file = dir.resolve(w.name + ".json");
            new com.fasterxml.jackson.databind.ObjectMapper().writeValue(file.toFile(), w);
            Scenario back = ScenarioLoader.load(file.toString());
            assertEquals(w.seed, back.seed);
            assertEquals(w.attacks.size(), back.attacks.size());
            assertEquals(w.attacks.get(0).kind, back.attacks.get(0).kind, "kinds keep their file names (pile-on, ...)");
        }
        assertEquals(java.util.EnumSet.complementOf(java.util.EnumSet.of(Scenario.AttackKind.neighbourhood)), kinds,
                "thirty worlds draw every attack kind but the neighbourhood attack (--network-attacks adds it)");
        assertEquals(WorldSampler.draw(5, 3).get(2).seed, worlds.get(2).seed, "the same sweep seed draws the same worlds");
    }

    @Test
    void youngerAttackersKeepTheirWorldsAndMapTheirAgesFromEightDaysOntoTheGivenOnes() {
        java.util.List<Scenario> drawn = WorldSampler.draw(5, 30);
        java.util.List<Scenario> younger = WorldSampler.draw(5, 30);
        WorldSampler.youngerAttackers(younger, 4);
        int farming = 0;
        for (int w = 0; w < drawn.size(); w++) {
            assertEquals(drawn.get(w).seed, younger.get(w).seed, "the same worlds");
            for (int i = 0; i < drawn.get(w).attacks.size(); i++) {
                Scenario.Attack was = drawn.get(w).attacks.get(i);
                Scenario.Attack now = younger.get(w).attacks.get(i);
                switch (was.kind) {
                    case sleeper, newServer -> {
                        farming++;
                        assertTrue(was.ageDays >= 8 && was.ageDays <= 40);
                        assertEquals(4 + (was.ageDays - 8) * 36 / 32, now.ageDays, 1e-9, "[8, 40] onto [4, 40]");
                    }
                    case competitor, pileOn -> assertEquals(4 + (was.ageDays - 8) * 116 / 112, now.ageDays, 1e-9, "[8, 120] onto [4, 120]");
                    default -> assertEquals(was.ageDays, now.ageDays, "turncoats, sybils and vouchers keep their ages");
                }
            }
        }
        assertTrue(farming > 0, "thirty worlds draw sleepers or new-server attacks");
    }

    @Test
    void networkAttacksAddANeighbourhoodAttackToEachWorldAndKeepTheRest() {
        java.util.List<Scenario> drawn = WorldSampler.draw(5, 30);
        java.util.List<Scenario> withNetworks = WorldSampler.draw(5, 30);
        WorldSampler.networkAttacks(withNetworks);
        for (int w = 0; w < drawn.size(); w++) {
            Scenario was = drawn.get(w);
            Scenario now = withNetworks.get(w);
            assertEquals(was.seed, now.seed, "the same worlds");
            assertEquals(was.attacks.size() + 1, now.attacks.size(), "one attack more");
            for (int i = 0; i < was.attacks.size(); i++) {
                assertEquals(was.attacks.get(i).kind, now.attacks.get(i).kind);
                assertEquals(was.attacks.get(i).accounts, now.attacks.get(i).accounts, "the world's own attacks unchanged");
            }
            Scenario.Attack added = now.attacks.get(was.attacks.size());
            assertEquals(Scenario.AttackKind.neighbourhood, added.kind);
            assertTrue(added.accounts >= 4 && added.accounts <= 60 && added.targets >= 1 && added.targets <= 10, "drawn ranges");
            assertTrue(added.startDay > now.warmupDays && added.startDay + added.durationDays <= now.days + 1e-9, "within the run");
        }
    }

    @Test
    void aNeighbourhoodAttackReportsQuietAddressesOfItsTargetsNetworksItLookedUpFirst() throws IOException {
        Scenario s = ScenarioLoader.load("neighbourhood");
        StreamGenerator g = new StreamGenerator(s);
        GeneratedRun run = g.generate();
        GeneratedRun.AttackInfo attack = run.attacks.get(0);
        java.util.Set<Integer> networks = new java.util.HashSet<>();
        for (int id : attack.targetInstances()) {
            SenderInstance in = run.instances[id];
            assertTrue(in.legitimate() && in.startStep == 0, "targets are servers with a sending history");
            networks.add(in.ip.v4() >>> 8);
        }
        java.util.Set<IpBlock> lookedUp = new java.util.HashSet<>();
        int reports = 0;
        for (int k = attack.startStep(); k < run.steps; k++) {
            for (int i = run.stepStart[k]; i < run.stepStart[k + 1]; i++) {
                if (run.events[i] instanceof EngineEvent.TrafficObserved t) {
                    lookedUp.add(t.ip());
                } else if (run.events[i] instanceof EngineEvent.ReportFiled r && g.attackers.contains(r.memberId())) {
                    assertTrue(networks.contains(r.target().v4() >>> 8), "an address of a target's /24: " + r.target());
                    assertNull(run.byIp.get(r.target()), "that no sender uses");
                    assertTrue(lookedUp.contains(r.target()), "looked up before it is reported");
                    reports++;
                }
            }
        }
        assertTrue(reports > 50, "the attack happens: " + reports);
    }

    @Test
    void aNewServerAttackReportsLegitimateServersFromTheirFirstStepOnlyByFarmedAccounts() throws IOException {
        Scenario s = ScenarioLoader.load("new-server");
        StreamGenerator g = new StreamGenerator(s);
        GeneratedRun run = g.generate();
        GeneratedRun.AttackInfo attack = run.attacks.get(0);
        int half = (int) Math.round(s.attacks.get(0).durationDays * 1440 / s.stepMinutes) / 2;
        assertEquals(20, attack.targetInstances().length);
        java.util.Map<IpBlock, SenderInstance> targets = new java.util.HashMap<>();
        for (int id : attack.targetInstances()) {
            SenderInstance in = run.instances[id];
            assertTrue(in.legitimate(), "targets are legitimate servers");
            assertTrue(in.startStep >= attack.startStep() && in.startStep < attack.startStep() + half,
                    "each starts sending during the attack's first half: " + in.startStep);
            targets.put(in.ip, in);
        }
        java.util.Set<Long> farmedBeforeAttack = new java.util.HashSet<>();
        int reports = 0;
        for (int k = 0; k < run.steps; k++) {
            for (int i = run.stepStart[k]; i < run.stepStart[k + 1]; i++) {
                if (!(run.events[i] instanceof EngineEvent.ReportFiled r) || !g.attackers.contains(r.memberId())) {
                    continue;
                }
                SenderInstance target = targets.get(r.target());
                if (target == null) {
                    assertTrue(k < attack.startStep(), "attackers farm real spam before the attack");
                    farmedBeforeAttack.add(r.memberId());
                } else {
                    assertTrue(k >= target.startStep, "a target is reported only once it sends");
                    reports++;
                }
            }
        }
        assertTrue(reports > 1000, "the attack happens: " + reports);
        assertTrue(farmedBeforeAttack.size() > 100, "most accounts farmed first: " + farmedBeforeAttack.size());
    }

    /**
     * The diagnostic baseline leaves out exactly the attackers' reports: a sleeper's farmers
     * report real spam early, and without their word the SCBL rule catches less; a world without
     * attack accounts gives the same figure both ways.
     */
    @Test
    void scblWithoutTheAttackersReportsLeavesOutExactlyTheirReports() throws IOException {
        Scenario s = ScenarioLoader.load("sleeper");
        StreamGenerator g = new StreamGenerator(s);
        GeneratedRun run = g.generate();
        int marked = 0;
        for (int i = 0; i < run.events.length; i++) {
            boolean byAttacker = run.events[i] instanceof EngineEvent.ReportFiled r && g.attackers.contains(r.memberId());
            assertEquals(byAttacker, run.attackReportEvents.get(i), "event " + i + ": " + run.events[i]);
            marked += byAttacker ? 1 : 0;
        }
        assertTrue(marked > 1000, "the sleepers report: " + marked);

        Simulation.Result attacked = new Simulation(EngineConfig.defaults()).run(s, false);
        assertTrue(attacked.number("scbl", "spamCaughtWithoutAttackReports") < attacked.number("scbl", "spamCaughtShare"),
                "the farmers' cover reports list spam for scbl: " + attacked.engines().get("scbl"));
        Simulation.Result quiet = new Simulation(EngineConfig.defaults()).run(ScenarioLoader.load("careless"), false);
        assertEquals(quiet.number("scbl", "spamCaughtShare"), quiet.number("scbl", "spamCaughtWithoutAttackReports"));
    }

    /**
     * The sweep's throughput row counts every world, names the slowest, and writes them out with
     * their figure, so that the goal on swept worlds can be read and each slow world rerun.
     */
    @Test
    void theSweepsThroughputRowCountsEveryWorldAndWritesTheSlowestOut(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws IOException {
        java.util.List<Scenario> worlds = WorldSampler.draw(5, 6);
        for (Scenario w : worlds) {
            w.days = w.warmupDays + 1; // a short stream each: the figure itself is not what is tested
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        Sweep.printThroughput(EngineConfig.defaults(), worlds, dir, new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
        String printed = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        java.util.regex.Matcher row = java.util.regex.Pattern
                .compile("\\| engine throughput >= 1,000,000 events/s \\(one thread, after an untimed pass best of 2-4 until settled\\) \\| 6 \\| (\\d+) \\|").matcher(printed);
        assertTrue(row.find(), printed);
        assertTrue(Integer.parseInt(row.group(1)) <= 6, printed);
        java.util.List<String> slow = printed.lines().filter(l -> l.startsWith("slow world: ")).toList();
        assertEquals(5, slow.size(), printed);
        for (String line : slow) {
            String name = line.substring("slow world: ".length(), line.indexOf(' ', "slow world: ".length()));
            java.nio.file.Path file = dir.resolve(name + ".json");
            assertTrue(java.nio.file.Files.exists(file), "written to be rerun: " + file);
            assertTrue(ScenarioLoader.load(file.toString()).description.contains("events/s"), line);
        }
    }

    @Test
    void aShieldAttacksControlRunLeavesOnlyItsOwnEventsOut() throws IOException {
        Scenario s = ScenarioLoader.load("volume-inflation");
        s.days = 12;
        GeneratedRun run = new StreamGenerator(s).generate();
        assertFalse(run.shieldEvents.isEmpty(), "the operator's counted lookups are marked");
        for (int i = run.shieldEvents.nextSetBit(0); i >= 0; i = run.shieldEvents.nextSetBit(i + 1)) {
            EngineEvent e = run.events[i];
            assertTrue(e instanceof EngineEvent.TrafficObserved t && t.lookups() <= s.attacks.get(0).networks,
                    "at most one counted lookup per operator network and interval: " + e);
        }
    }

    @Test
    void aVolumeInflationOperatorQueriesEachSourceForPrewarmDaysBeforeItSends() throws IOException {
        for (double days : new double[] {1, 3}) {
            Scenario s = ScenarioLoader.load("volume-inflation");
            s.days = 12;
            s.attacks.get(0).prewarmDays = days;
            GeneratedRun run = new StreamGenerator(s).generate();
            long longestLead = 0; // from the operator's first lookup of a source to its first message
            for (int i = run.shieldEvents.nextSetBit(0); i >= 0; i = run.shieldEvents.nextSetBit(i + 1)) {
                EngineEvent.TrafficObserved t = (EngineEvent.TrafficObserved) run.events[i];
                SenderInstance in = run.byIp.get(t.ip());
                longestLead = Math.max(longestLead, run.stepTime(in.startStep) - t.atMillis());
            }
            long day = EngineConfig.DAY;
            assertTrue(longestLead > (long) (days * day) - 2 * HOUR && longestLead <= (long) (days * day),
                    days + " days of prewarming: the earliest operator lookup came " + longestLead / (double) HOUR + " h ahead");
        }
    }

    @Test
    void theModeratorTurnsDownAHoldAfterItsReviewDelayAndUpholdsADelistingOnlyWhileListed() {
        Scenario.Moderation m = new Scenario.Moderation();
        m.delistAfterHours = 2;
        m.reviewHeldAfterHours = 4;
        Moderator moderator = new Moderator(m);
        java.util.List<EngineEvent> seen = new java.util.ArrayList<>();
        ListingModel model = new ListingModel() {
            public String name() { return "recording"; }
            public void apply(EngineEvent e) { seen.add(e); }
            public boolean isListed(IpBlock ip) { return false; }
        };
        moderator.holdDismissed(IP, T);
        moderator.seenListed(new SenderInstance(0, 0, Scenario.SenderClass.legit, IpBlock.parse("45.1.2.4"), 0, 10, 0), T, model);
        assertEquals(java.util.List.of(new EngineEvent.DelistingRequested(IpBlock.parse("45.1.2.4"), T)), seen,
                "the engine hears of the request when it is made");
        seen.clear();
        assertEquals(0, moderator.deliverDue(T + 3 * HOUR, model), "a delisting of an address no longer listed is dropped");
        assertTrue(seen.isEmpty());
        assertEquals(1, moderator.deliverDue(T + 4 * HOUR, model));
        assertEquals(java.util.List.of(new EngineEvent.HoldDismissed(IP, T + 4 * HOUR)), seen);
        assertEquals(1, moderator.holdsDismissed);
    }

    @Test
    void aShareOfListedSpamSourcesAsksForDelistingAndTheModeratorTurnsItDownWhileListed() {
        Scenario.Moderation m = new Scenario.Moderation();
        m.delistAfterHours = 2;
        java.util.List<EngineEvent> seen = new java.util.ArrayList<>();
        java.util.Set<IpBlock> listed = new java.util.HashSet<>();
        ListingModel model = new ListingModel() {
            public String name() { return "recording"; }
            public void apply(EngineEvent e) { seen.add(e); }
            public boolean isListed(IpBlock ip) { return listed.contains(ip); }
        };
        java.util.List<SenderInstance> sources = new java.util.ArrayList<>();
        for (int i = 0; i < 400; i++) {
            sources.add(new SenderInstance(i, 0, Scenario.SenderClass.spam, IpBlock.parse("45.9." + (i / 200) + "." + (i % 200)), 0, 10, 0));
        }
        Moderator silent = new Moderator(m);
        for (SenderInstance in : sources) {
            silent.seenListed(in, T, model);
        }
        assertTrue(seen.isEmpty(), "by default no spam source asks");

        m.spamDelistingShare = 0.25;
        Moderator moderator = new Moderator(m);
        int asked = 0;
        for (SenderInstance in : sources) {
            listed.add(in.ip);
            moderator.seenListed(in, T, model);
            moderator.seenListed(in, T + HOUR, model); // once per episode
            asked += moderator.spamSourceAsks(in.ip) ? 1 : 0;
        }
        assertEquals(asked, seen.size());
        assertTrue(asked > 60 && asked < 140, asked + " of 400 sources asked at a share of 0.25");
        assertTrue(seen.stream().allMatch(e -> e instanceof EngineEvent.DelistingRequested r && r.atMillis() == T));
        seen.clear();
        listed.remove(sources.stream().filter(in -> moderator.spamSourceAsks(in.ip)).findFirst().orElseThrow().ip);
        assertEquals(asked - 1, moderator.deliverDue(T + 2 * HOUR, model), "a lapsed listing leaves nothing to decide");
        assertTrue(seen.stream().allMatch(e -> e instanceof EngineEvent.DelistingDecided d && !d.upheld()), "turned down");
        assertEquals(asked - 1, moderator.delistingsRefused);
        assertEquals(0, moderator.delistingsUpheld);
    }
}
