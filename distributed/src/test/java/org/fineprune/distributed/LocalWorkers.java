package org.fineprune.distributed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Workers on loopback in the test JVM, each on a port free when the test asked for it, so that tests
 * never meet another test's cluster. Closing it stops the workers still running.
 */
final class LocalWorkers implements AutoCloseable {
    final List<MemberAddress> addresses;
    final List<Worker> workers = new ArrayList<>();

    private LocalWorkers(List<MemberAddress> addresses) {
        this.addresses = addresses;
    }

    /** {@code count} free loopback addresses, no worker started yet. */
    static LocalWorkers addresses(int count) {
        List<MemberAddress> addresses = new ArrayList<>();
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(socket);
                addresses.add(new MemberAddress("127.0.0.1", socket.getLocalPort()));
            }
            for (ServerSocket socket : held) {
                socket.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new LocalWorkers(addresses);
    }

    /** Starts a worker at each address, of this build. */
    static LocalWorkers start(int count) {
        LocalWorkers local = addresses(count);
        for (MemberAddress address : local.addresses) {
            local.workers.add(Worker.start(local.addresses, address, 1));
        }
        return local;
    }

    /** The addresses as {@link Cluster#members} takes them. */
    String[] texts() {
        return addresses.stream().map(MemberAddress::toString).toArray(String[]::new);
    }

    /** A submitter to these workers that waits at most a few seconds for one to answer. */
    Cluster cluster() {
        return Cluster.members(texts()).connectTimeout(java.time.Duration.ofSeconds(10));
    }

    @Override
    public void close() {
        workers.stream().filter(Worker::running).forEach(Worker::close);
    }
}
