package net.trustbl.common;

/** The journal could not make an entry durable (database down); nothing was acknowledged. */
public class JournalUnavailableException extends RuntimeException {

    public JournalUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
