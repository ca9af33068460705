package org.fineprune.distributed;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.List;
import org.fineprune.core.FinepruneException;

/**
 * A cluster member that runs groups of points for submitters ({@link Cluster}), {@code tasks} at a
 * time (one by default: the engine's threads use the machine). It joins the members at the addresses
 * given, and refuses to stay in a cluster whose members run another Fineprune build.
 */
public final class Worker implements AutoCloseable {
    private final HazelcastInstance instance;

    private Worker(HazelcastInstance instance) {
        this.instance = instance;
    }

    /**
     * Starts a member at {@code bind} that joins the cluster of {@code members}.
     *
     * @param tasks how many groups it runs at a time
     * @throws FinepruneException if a member of the cluster runs another Fineprune build, or the
     *     member cannot start (its port taken, say)
     */
    public static Worker start(List<MemberAddress> members, MemberAddress bind, int tasks) {
        return start(members, bind, tasks, FinepruneBuild.current());
    }

    /** As {@link #start(List, MemberAddress, int)}, advertising {@code build}. */
    static Worker start(List<MemberAddress> members, MemberAddress bind, int tasks, String build) {
        if (tasks < 1) {
            throw new IllegalArgumentException("a worker runs at least 1 task at a time, got " + tasks);
        }
        HazelcastInstance instance;
        try {
            instance = Hazelcast.newHazelcastInstance(HazelcastConfigs.member(members, bind, tasks, build));
        } catch (RuntimeException e) {
            throw new FinepruneException("cannot start a worker at " + bind + ": " + e.getMessage(), e);
        }
        for (Member member : instance.getCluster().getMembers()) {
            String theirs = member.getAttribute(HazelcastConfigs.BUILD_ATTRIBUTE);
            if (!build.equals(theirs)) {
                instance.shutdown();
                throw new FinepruneException("member " + address(member) + " of the cluster runs Fineprune " + theirs
                        + ", this worker " + build + ": every machine of a cluster must run the same Fineprune build");
            }
        }
        return new Worker(instance);
    }

    /**
     * The first of {@code members} that is an address of this machine, where a worker started
     * without an explicit address binds.
     *
     * @throws IllegalArgumentException if none is
     */
    public static MemberAddress localAmong(List<MemberAddress> members) {
        for (MemberAddress member : members) {
            try {
                InetAddress address = InetAddress.getByName(member.host());
                if (address.isLoopbackAddress() || NetworkInterface.getByInetAddress(address) != null) {
                    return member;
                }
            } catch (UnknownHostException | SocketException e) {
                // Not this machine's.
            }
        }
        throw new IllegalArgumentException("none of the member addresses " + members + " is an address of this "
                + "machine; give the one to bind to");
    }

    /** The member's address. */
    public MemberAddress address() {
        return address(instance.getCluster().getLocalMember());
    }

    /** The addresses of the cluster's members, this one included. */
    public List<MemberAddress> members() {
        return instance.getCluster().getMembers().stream().map(Worker::address).toList();
    }

    /** Whether the member still runs. */
    public boolean running() {
        return instance.getLifecycleService().isRunning();
    }

    /** The Hazelcast member, for tests that stop it abruptly. */
    HazelcastInstance instance() {
        return instance;
    }

    static MemberAddress address(Member member) {
        return new MemberAddress(member.getAddress().getHost(), member.getAddress().getPort());
    }

    /** Leaves the cluster; a task it was running is run again elsewhere. */
    @Override
    public void close() {
        instance.shutdown();
    }
}
