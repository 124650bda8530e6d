package dev.jobqueue.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A plain-socket TCP proxy on loopback between the client and Redis; {@link #cutAll} closes every
 * proxied connection at once, as a network failure or a server-side kill would; {@link #stall}
 * keeps every connection open but forwards nothing (a partition, a half-open connection) until
 * {@link #resume}; {@link #refuse} closes everything and refuses new connections (Redis down).
 */
final class TcpProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private volatile boolean stalled;

    TcpProxy(int targetPort) {
        this.targetPort = targetPort;
        try {
            server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::accept, "proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** From now on no byte is forwarded in either direction; connections stay open (and new ones are accepted). */
    void stall() {
        stalled = true;
    }

    /** Forwards again what a stall held back. */
    void resume() {
        stalled = false;
    }

    /** Closes every connection and the listening socket: connecting to {@link #port} is refused from now on. */
    void refuse() {
        close();
    }

    /** Closes every open connection (both sides); new connections are accepted as before. */
    int cutAll() {
        int n = 0;
        for (Socket s : sockets) {
            closeQuietly(s);
            n++;
        }
        sockets.clear();
        return n;
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    while (stalled && !closed && !from.isClosed()) {
                        Thread.sleep(10); // holding the bytes back, as a partitioned network would
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // a cut: the other direction notices through the closed sockets
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }, "proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        cutAll();
    }
}
