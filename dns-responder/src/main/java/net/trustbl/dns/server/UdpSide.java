package net.trustbl.dns.server;

/**
 * The UDP half of the server: {@link NioUdp} (the JDK's channels, one packet per system call) or
 * {@link EpollUdp} (Netty's native epoll, several packets per system call). Both answer through a
 * {@link Responder} per thread, so they answer alike ({@code UdpPathsAgreeTest}).
 */
interface UdpSide extends AutoCloseable {

    /** The port bound (the same on every socket). */
    int port();

    /** Starts answering. */
    void start();

    /** What it is, for the start-up line and the metrics. */
    String describe();

    @Override
    void close();
}
