package net.trustbl.gateway.filter;

/**
 * An attachment that could not be fully looked into (damaged or encrypted archive, unsupported
 * compression, names that differ between the local headers and the central directory, a budget
 * spent). The attachment filter fails closed on it: what it cannot read, it does not pass.
 */
final class Uninspectable extends Exception {

    /**
     * The scan ran out of time: that says nothing about the attachment (the gateway may just be
     * busy), so the message is deferred, never refused.
     */
    final boolean deadlinePassed;

    Uninspectable(String reason) {
        this(reason, false);
    }

    private Uninspectable(String reason, boolean deadlinePassed) {
        // the reason goes into the SMTP reply; a stack trace would only cost time
        super(reason, null, false, false);
        this.deadlinePassed = deadlinePassed;
    }

    static Uninspectable deadlinePassed() {
        return new Uninspectable("scan deadline passed", true);
    }
}
