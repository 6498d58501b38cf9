package net.trustbl.gateway.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects the log records of a category (and below) while open: tests assert on what operators see. */
public final class LogCapture extends Handler implements AutoCloseable {

    private final Logger logger;
    private final Level min;
    public final List<LogRecord> records = new CopyOnWriteArrayList<>();

    public LogCapture(String category, Level min) {
        this.logger = Logger.getLogger(category);
        this.min = min;
        logger.addHandler(this);
    }

    @Override
    public void publish(LogRecord r) {
        if (r.getLevel().intValue() >= min.intValue()) {
            records.add(r);
        }
    }

    /** Every captured message, formatted with its parameters. */
    public List<String> messages() {
        return records.stream().map(r -> (r instanceof org.jboss.logmanager.ExtLogRecord e ? e.getFormattedMessage()
                : new java.util.logging.SimpleFormatter().formatMessage(r))
                + (r.getThrown() == null ? "" : " " + r.getThrown())).toList();
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
