package net.trustbl.engine.simulate;

import net.trustbl.engine.Decision;
import net.trustbl.engine.EngineConfig;
import net.trustbl.engine.EngineEvent;
import net.trustbl.address.IpBlock;
import net.trustbl.engine.ReportOutcome;
import net.trustbl.engine.TrustEngine;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Consumer;

/** The real trust engine, exactly as the service runs it (no special path for the simulator). */
final class TrustBlModel implements ListingModel {

    private final TrustEngine engine;
    private final ArrayList<IpBlock> held = new ArrayList<>();
    private final BitSet honestSpamReports;
    private long honestReportsCleared;
    private final Consumer<Decision> sink = this::observe;

    /** @param honestSpamReports ids of honest spam reports on real spam sources (clearing one is a wrongful strike) */
    TrustBlModel(EngineConfig config, BitSet honestSpamReports) {
        this.engine = new TrustEngine(config);
        this.honestSpamReports = honestSpamReports;
    }

    /** Sees every decision too (ListingTrace); nothing by default. */
    private Consumer<Decision> listener = d -> { };

    void listen(Consumer<Decision> listener) {
        this.listener = listener;
    }

    private void observe(Decision d) {
        listener.accept(d);
        if (d instanceof Decision.HeldForModeration h) {
            held.add(h.ip());
        } else if (d instanceof Decision.ReportOutcomeChanged o && o.outcome() == ReportOutcome.CLEARED
                && o.reportId() <= Integer.MAX_VALUE && honestSpamReports.get((int) o.reportId())) {
            honestReportsCleared++;
        }
    }

    long honestReportsCleared() {
        return honestReportsCleared;
    }

    @Override
    public String name() {
        return "trustbl";
    }

    @Override
    public void apply(EngineEvent event) {
        engine.apply(event, sink);
    }

    @Override
    public boolean isListed(IpBlock ip) {
        return engine.isListed(ip);
    }

    @Override
    public List<IpBlock> drainHeld() {
        if (held.isEmpty()) {
            return List.of();
        }
        List<IpBlock> out = new ArrayList<>(held);
        held.clear();
        return out;
    }

    TrustEngine engine() {
        return engine;
    }
}
