package net.trustbl.dns.server;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.epoll.Native;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.internal.PlatformDependent;

/**
 * One UDP socket read with {@code recvmmsg} and written with {@code sendmmsg} through Netty's
 * native epoll library, without Netty's channel. The channel ({@link EpollUdp}) makes a sender
 * address, a datagram object, a buffer slice and a pipeline pass for every packet, and an
 * outbound-buffer entry for every answer: about half of the user-space CPU of an answer here. This
 * class keeps fixed buffers and fixed packet descriptors instead, so a packet costs the two copies
 * and nothing else. Netty exposes these calls only to its own package; they are reached through
 * method and field handles (the library is on the class path, whose unnamed module opens every
 * package), and {@link #available()} says whether that works, so {@link EpollUdp} serves if not.
 *
 * <p>Owned by one thread, except {@link #close()}.
 */
final class MmsgSocket implements AutoCloseable {

    private static final Bridge BRIDGE = Bridge.load();
    // static final copies: the JIT treats constant handles like direct calls and field accesses
    private static final MethodHandle RECVMMSG = BRIDGE.recvmmsg;
    private static final MethodHandle SENDMMSG = BRIDGE.sendmmsg;
    private static final VarHandle COUNT = BRIDGE.count;
    private static final VarHandle SENDER_ADDR_LEN = BRIDGE.senderAddrLen;
    private static final VarHandle SENDER_PORT = BRIDGE.senderPort;
    private static final VarHandle SENDER_SCOPE_ID = BRIDGE.senderScopeId;
    private static final VarHandle RECIPIENT_ADDR_LEN = BRIDGE.recipientAddrLen;
    private static final VarHandle RECIPIENT_PORT = BRIDGE.recipientPort;
    private static final VarHandle RECIPIENT_SCOPE_ID = BRIDGE.recipientScopeId;

    /** Why {@link #available()} is false, or null. */
    static String unavailabilityCause() {
        return BRIDGE.failure;
    }

    /** True when Netty's native epoll library is there and its mmsg calls can be reached. */
    static boolean available() {
        return BRIDGE.failure == null;
    }

    private static final byte[] V4_MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};
    private static final int IOV_SIZE = 16; // struct iovec on 64-bit Linux: base pointer, length

    private final LinuxSocket socket;
    private final int fd;
    private final boolean ipv6;
    private final FileDescriptor epoll;
    private final Object events;
    private final int batch;
    private final int querySlot;
    private final int answerSlot;
    private final ByteBuffer rxData;
    private final ByteBuffer txData;
    private final ByteBuffer iovs; // batch receive iovecs, then batch send iovecs
    private final Object packetOwner; // Netty's NativeDatagramPacketArray: its own iovec memory is freed on close
    private final Object packets; // NativeDatagramPacket[]: [0, batch) receive, [batch, 2 batch) send
    private final Object[] packetArray;
    private final byte[][] senderAddr;
    private final byte[][] recipientAddr;
    private final int[] lengths;
    private int queued;
    private volatile boolean closed;

    // the client address of the last packet, and a small cache of IPv4 clients, so that a busy
    // resolver's packets make no InetAddress each
    private final int[] v4Keys = new int[256];
    private final InetAddress[] v4Values = new InetAddress[256];
    private byte[] lastV6 = new byte[0];
    private InetAddress lastV6Address;

    MmsgSocket(InetSocketAddress at, int batch, int querySlot, int answerSlot, int bufferBytes) throws IOException {
        if (!available()) {
            throw new IOException("native recvmmsg/sendmmsg not reachable: " + BRIDGE.failure);
        }
        this.batch = batch;
        this.querySlot = querySlot;
        this.answerSlot = answerSlot;
        this.ipv6 = !(at.getAddress() instanceof Inet4Address);
        this.socket = LinuxSocket.newSocketDgram(ipv6);
        this.fd = socket.intValue();
        FileDescriptor ep = null;
        Object ev = null;
        try {
            socket.setReusePort(true);
            socket.setReceiveBufferSize(bufferBytes);
            socket.setSendBufferSize(bufferBytes);
            socket.bind(at);
            ep = Native.newEpollCreate();
            Native.epollCtlAdd(ep.intValue(), fd, Native.EPOLLIN);
            ev = BRIDGE.newEvents.invoke(4);
        } catch (Throwable e) {
            closeQuietly(ep);
            closeQuietly(socket);
            throw e instanceof IOException io ? io : new IOException("cannot open UDP " + at + ": " + e, e);
        }
        this.epoll = ep;
        this.events = ev;
        this.rxData = ByteBuffer.allocateDirect(batch * querySlot);
        this.txData = ByteBuffer.allocateDirect(batch * answerSlot);
        this.iovs = ByteBuffer.allocateDirect(2 * batch * IOV_SIZE).order(ByteOrder.nativeOrder());
        long iovBase = PlatformDependent.directBufferAddress(iovs);
        long rxBase = PlatformDependent.directBufferAddress(rxData);
        long txBase = PlatformDependent.directBufferAddress(txData);
        long txIovBase = iovBase + (long) batch * IOV_SIZE;
        Object owner = null;
        Object descriptors;
        try {
            owner = BRIDGE.newPacketArray.invoke();
            descriptors = BRIDGE.packets.invoke(owner);
        } catch (Throwable e) {
            this.packetOwner = owner;
            close();
            throw new IOException("cannot make packet descriptors: " + e, e);
        }
        this.packetOwner = owner;
        this.packets = descriptors;
        this.packetArray = (Object[]) packets;
        if (packetArray.length < 2 * batch) {
            close();
            throw new IOException("Netty keeps " + packetArray.length + " packet descriptors, need " + 2 * batch);
        }
        this.senderAddr = new byte[batch][];
        this.recipientAddr = new byte[batch][];
        this.lengths = new int[batch];
        for (int i = 0; i < batch; i++) {
            iovs.putLong(i * IOV_SIZE, rxBase + (long) i * querySlot);
            iovs.putLong(i * IOV_SIZE + 8, querySlot);
            iovs.putLong((batch + i) * IOV_SIZE, txBase + (long) i * answerSlot);
            iovs.putLong((batch + i) * IOV_SIZE + 8, 0);
            Object rx = packetArray[i];
            Object tx = packetArray[batch + i];
            BRIDGE.memoryAddress.set(rx, iovBase + (long) i * IOV_SIZE);
            BRIDGE.count.set(rx, 1);
            BRIDGE.memoryAddress.set(tx, txIovBase + (long) i * IOV_SIZE);
            BRIDGE.count.set(tx, 1);
            BRIDGE.segmentSize.set(tx, 0);
            senderAddr[i] = (byte[]) BRIDGE.senderAddr.get(rx);
            recipientAddr[i] = (byte[]) BRIDGE.recipientAddr.get(tx);
            if (senderAddr[i].length != 16 || recipientAddr[i].length != 16) {
                close();
                throw new IOException("Netty's packet descriptors changed shape: address arrays of "
                        + senderAddr[i].length + " bytes");
            }
        }
    }

    /** The address bound. */
    InetSocketAddress localAddress() {
        return socket.localAddress();
    }

    /**
     * Reads what is queued, up to a batch; returns the number of packets, 0 when none is there.
     * Their receive descriptors and buffers stay valid until the next call.
     */
    int receive() throws IOException {
        int n;
        try {
            n = (int) RECVMMSG.invokeExact(fd, ipv6, packets, 0, batch);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IOException(e);
        }
        for (int i = 0; i < n; i++) {
            // the native call leaves the datagram's length where it reads the iovec count from
            Object p = packetArray[i];
            lengths[i] = (int) COUNT.get(p);
            COUNT.set(p, 1);
        }
        return n;
    }

    /** Waits up to {@code millis} for a packet; true when one is there. */
    boolean await(int millis) throws IOException {
        try {
            return (int) BRIDGE.epollWait.invoke(epoll, events, millis) > 0;
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IOException(e);
        }
    }

    /** Copies packet {@code i} of the last {@link #receive()} into {@code into}; returns its length. */
    int copyPacket(int i, byte[] into) {
        int len = Math.min(lengths[i], Math.min(querySlot, into.length));
        rxData.get(i * querySlot, into, 0, len);
        return len;
    }

    /** The client of packet {@code i}: cached, so a resolver that keeps asking makes no new object. */
    InetAddress sender(int i) {
        Object p = packetArray[i];
        byte[] a = senderAddr[i];
        int len = (int) SENDER_ADDR_LEN.get(p);
        try {
            if (len == 4) {
                int key = (a[0] & 0xff) << 24 | (a[1] & 0xff) << 16 | (a[2] & 0xff) << 8 | (a[3] & 0xff);
                int slot = (key ^ key >>> 8 ^ key >>> 16) & 0xff;
                InetAddress cached = v4Values[slot];
                if (cached != null && v4Keys[slot] == key) {
                    return cached;
                }
                InetAddress made = InetAddress.getByAddress(Arrays.copyOf(a, 4));
                v4Keys[slot] = key;
                v4Values[slot] = made;
                return made;
            }
            if (lastV6Address != null && Arrays.equals(lastV6, 0, 16, a, 0, 16)) {
                return lastV6Address;
            }
            lastV6 = Arrays.copyOf(a, 16);
            lastV6Address = InetAddress.getByAddress(lastV6);
            return lastV6Address;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("address of length " + len, e); // 4 and 16 are always valid
        }
    }

    /** Queues {@code out[0..n)} as the answer to packet {@code i}; sent at {@link #flush()}. */
    void queueAnswer(int i, byte[] out, int n) {
        if (n > answerSlot) {
            return; // UDP answers are cut to max-udp-size; nothing larger is made for UDP
        }
        int j = queued++;
        txData.put(j * answerSlot, out, 0, n);
        iovs.putLong((batch + j) * IOV_SIZE + 8, n);
        Object rx = packetArray[i];
        Object tx = packetArray[batch + j];
        int len = (int) SENDER_ADDR_LEN.get(rx);
        byte[] to = recipientAddr[j];
        if (len == 4) {
            // Netty's native side reads a 16-byte address: an IPv4 one sits in its last 4 bytes
            // (IPv4-mapped IPv6), whatever the socket's family
            System.arraycopy(V4_MAPPED_PREFIX, 0, to, 0, 12);
            System.arraycopy(senderAddr[i], 0, to, 12, 4);
        } else {
            System.arraycopy(senderAddr[i], 0, to, 0, 16);
        }
        RECIPIENT_ADDR_LEN.set(tx, 16);
        RECIPIENT_PORT.set(tx, (int) SENDER_PORT.get(rx));
        RECIPIENT_SCOPE_ID.set(tx, (int) SENDER_SCOPE_ID.get(rx));
        if (queued == batch) {
            flush();
        }
    }

    /**
     * Sends the queued answers with as few {@code sendmmsg} calls as the kernel takes. An answer
     * the kernel refuses (a full send buffer, an address it cannot reach) is dropped: the client
     * asks again, as it would for a lost datagram.
     */
    void flush() {
        int from = 0;
        while (from < queued) {
            int n;
            try {
                n = (int) SENDMMSG.invokeExact(fd, ipv6, packets, batch + from, queued - from);
            } catch (Throwable e) {
                n = -1;
            }
            if (n > 0) {
                from += n;
            } else if (n == 0) {
                break; // the send buffer is full: drop the rest of this batch
            } else {
                from++; // the first one failed: skip it, send the others
            }
        }
        queued = 0;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(epoll);
        closeQuietly(socket);
        try {
            if (events != null) {
                BRIDGE.freeEvents.invoke(events);
            }
            if (packetOwner != null) {
                BRIDGE.releasePacketArray.invoke(packetOwner);
            }
        } catch (Throwable ignored) {
            // freed with the process
        }
    }

    private static void closeQuietly(FileDescriptor f) {
        if (f != null) {
            try {
                f.close();
            } catch (IOException ignored) {
                // closing: nothing to do about it
            }
        }
    }

    /** The handles into Netty's epoll package, resolved once. */
    private static final class Bridge {
        String failure;
        MethodHandle recvmmsg;
        MethodHandle sendmmsg;
        MethodHandle epollWait;
        MethodHandle newEvents;
        MethodHandle freeEvents;
        MethodHandle newPacketArray;
        MethodHandle packets;
        MethodHandle releasePacketArray;
        VarHandle memoryAddress;
        VarHandle count;
        VarHandle segmentSize;
        VarHandle senderAddr;
        VarHandle senderAddrLen;
        VarHandle senderPort;
        VarHandle senderScopeId;
        VarHandle recipientAddr;
        VarHandle recipientAddrLen;
        VarHandle recipientPort;
        VarHandle recipientScopeId;

        static Bridge load() {
            Bridge b = new Bridge();
            try {
                if (!Epoll.isAvailable()) {
                    b.failure = "native epoll not available: " + Epoll.unavailabilityCause();
                    return b;
                }
                MethodHandles.Lookup self = MethodHandles.lookup();
                MethodHandles.Lookup nat = MethodHandles.privateLookupIn(Native.class, self);
                Class<?> packetArrayClass = Class.forName("io.netty.channel.epoll.NativeDatagramPacketArray");
                Class<?> packetClass = Class.forName("io.netty.channel.epoll.NativeDatagramPacketArray$NativeDatagramPacket");
                Class<?> eventsClass = Class.forName("io.netty.channel.epoll.EpollEventArray");
                Class<?> packetsType = packetClass.arrayType();
                boolean recv = (boolean) nat.findStaticVarHandle(Native.class, "IS_SUPPORTING_RECVMMSG", boolean.class).get();
                if (!recv || !Native.IS_SUPPORTING_SENDMMSG) {
                    b.failure = "the kernel has no recvmmsg/sendmmsg";
                    return b;
                }
                MethodType mmsg = MethodType.methodType(int.class, int.class, boolean.class, packetsType, int.class, int.class);
                b.recvmmsg = nat.findStatic(Native.class, "recvmmsg", mmsg)
                        .asType(MethodType.methodType(int.class, int.class, boolean.class, Object.class, int.class, int.class));
                b.sendmmsg = nat.findStatic(Native.class, "sendmmsg", mmsg)
                        .asType(MethodType.methodType(int.class, int.class, boolean.class, Object.class, int.class, int.class));
                b.epollWait = nat.findStatic(Native.class, "epollWait",
                        MethodType.methodType(int.class, FileDescriptor.class, eventsClass, int.class));
                MethodHandles.Lookup ev = MethodHandles.privateLookupIn(eventsClass, self);
                b.newEvents = ev.findConstructor(eventsClass, MethodType.methodType(void.class, int.class));
                b.freeEvents = ev.findVirtual(eventsClass, "free", MethodType.methodType(void.class));
                MethodHandles.Lookup arr = MethodHandles.privateLookupIn(packetArrayClass, self);
                b.newPacketArray = arr.findConstructor(packetArrayClass, MethodType.methodType(void.class));
                b.packets = arr.findVirtual(packetArrayClass, "packets", MethodType.methodType(packetsType));
                b.releasePacketArray = arr.findVirtual(packetArrayClass, "release", MethodType.methodType(void.class));
                MethodHandles.Lookup pk = MethodHandles.privateLookupIn(packetClass, self);
                b.memoryAddress = pk.findVarHandle(packetClass, "memoryAddress", long.class);
                b.count = pk.findVarHandle(packetClass, "count", int.class);
                b.segmentSize = pk.findVarHandle(packetClass, "segmentSize", int.class);
                b.senderAddr = pk.findVarHandle(packetClass, "senderAddr", byte[].class);
                b.senderAddrLen = pk.findVarHandle(packetClass, "senderAddrLen", int.class);
                b.senderPort = pk.findVarHandle(packetClass, "senderPort", int.class);
                b.senderScopeId = pk.findVarHandle(packetClass, "senderScopeId", int.class);
                b.recipientAddr = pk.findVarHandle(packetClass, "recipientAddr", byte[].class);
                b.recipientAddrLen = pk.findVarHandle(packetClass, "recipientAddrLen", int.class);
                b.recipientPort = pk.findVarHandle(packetClass, "recipientPort", int.class);
                b.recipientScopeId = pk.findVarHandle(packetClass, "recipientScopeId", int.class);
            } catch (Throwable e) { // another Netty, a module boundary, a missing library
                b.failure = e.toString();
            }
            return b;
        }
    }
}
