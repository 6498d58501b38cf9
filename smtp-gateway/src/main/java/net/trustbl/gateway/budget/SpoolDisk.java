package net.trustbl.gateway.budget;

import jakarta.enterprise.context.ApplicationScoped;
import net.trustbl.gateway.config.GatewayConfig;

/**
 * The disk budget of the message spool ({@code gateway.limits.spool-bytes}), one for the whole
 * gateway: the sessions' spooled messages and the attachment filter's decoded zip files draw on it
 * together, so the spool folder never holds more than the operator allowed.
 */
@ApplicationScoped
public class SpoolDisk {

    private final InFlightBudget bytes;

    public SpoolDisk(GatewayConfig config) {
        this.bytes = new InFlightBudget(config.limits().spoolBytes().asLongValue());
    }

    public InFlightBudget bytes() {
        return bytes;
    }
}
