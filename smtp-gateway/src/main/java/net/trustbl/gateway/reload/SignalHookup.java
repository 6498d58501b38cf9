package net.trustbl.gateway.reload;

import org.jboss.logging.Logger;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Runs an action on a POSIX signal (SIGHUP for reload, as mail daemons do). The JVM's own
 * handler for SIGHUP ends the process; once this handler is installed the signal only reloads.
 * The action is handed to its own thread so the JVM's signal thread is never held up.
 */
final class SignalHookup {

    private static final Logger LOG = Logger.getLogger(SignalHookup.class);

    private SignalHookup() {
    }

    /** @return whether the handler is installed (false where the JVM or platform does not allow it, e.g. -Xrs, or the process ignores the signal) */
    static boolean install(String signal, Runnable action) {
        // the JVM's signal thread has no context class loader; configuration sources need the application's
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try {
            SignalHandler before = Signal.handle(new Signal(signal), s -> {
                Thread t = new Thread(action, "reload-on-SIG" + signal);
                t.setContextClassLoader(loader);
                t.setDaemon(true);
                t.start();
            });
            if (before == SignalHandler.SIG_IGN) {
                // started under nohup: the JVM leaves an ignored SIGHUP ignored and never calls the handler,
                // so saying "SIGHUP reloads" would be a lie the operator finds out at the worst moment
                LOG.warnf("SIG%s is ignored by this process (started under nohup?): reload with POST /console/reload"
                        + " or a file change", signal);
                return false;
            }
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOG.warnf("SIG%s cannot be handled here (%s): reload with POST /console/reload or a file change", signal, e.getMessage());
            return false;
        }
    }
}
