package net.trustbl.gateway.filter;

/**
 * An attachment that could not be fully looked into (damaged or encrypted archive, unsupported
 * compression, names that differ between the local headers and the central directory, a budget
 * spent). The attachment filter fails closed on it: what it cannot read, it does not pass.
 */
final class Uninspectable extends Exception {

    Uninspectable(String reason) {
        // the reason goes into the SMTP reply; a stack trace would only cost time
        super(reason, null, false, false);
    }
}
