package org.fineprune.distributed;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.fineprune.core.FinepruneException;
import org.fineprune.core.Progress;
import org.fineprune.experiments.GroupExecutor;
import org.fineprune.experiments.PointGroup;

/**
 * Runs a sweep's groups of points on the {@link Worker}s of a Hazelcast cluster, one group per idle
 * worker, and hands their records back in the order of a local run:
 *
 * <pre>{@code
 * plan.runOn(Cluster.members("node1", "node2:5702")).run(Path.of("runs/lab3"));
 * }</pre>
 *
 * The submitter connects as a client to the addresses given (it opens no port of its own). A group
 * whose worker leaves the cluster mid-task is run again on another; a group that fails {@link
 * #attempts} times (a bad file on each machine that tried it, an engine crash) is given up and named,
 * while the others' records are kept. A cluster with a member of another Fineprune build is refused.
 *
 * @param addresses where to find the workers (any one of them is enough to find the others)
 * @param attempts how many times a group may fail before it is given up
 * @param connectTimeout how long to wait for a worker to answer
 */
public record Cluster(List<MemberAddress> addresses, int attempts, Duration connectTimeout) implements GroupExecutor {
    /** Tries a group three times by default. */
    public static final int DEFAULT_ATTEMPTS = 3;
    /** Waits 30 seconds for a worker by default. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);

    /** Checks the values. */
    public Cluster {
        addresses = List.copyOf(addresses);
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("a cluster needs at least one member address");
        }
        if (attempts < 1) {
            throw new IllegalArgumentException("a group needs at least 1 attempt, got " + attempts);
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("the connect timeout must be positive, got " + connectTimeout);
        }
    }

    /**
     * The workers at these addresses, {@code host[:port]} (port {@value MemberAddress#DEFAULT_PORT} by default).
     *
     * @throws IllegalArgumentException if an address is malformed or repeated
     */
    public static Cluster members(String... addresses) {
        return new Cluster(MemberAddress.list(addresses), DEFAULT_ATTEMPTS, DEFAULT_CONNECT_TIMEOUT);
    }

    /** A copy that gives a group up after {@code count} failures. */
    public Cluster attempts(int count) {
        return new Cluster(addresses, count, connectTimeout);
    }

    /** A copy that waits {@code timeout} for a worker to answer. */
    public Cluster connectTimeout(Duration timeout) {
        return new Cluster(addresses, attempts, timeout);
    }

    /**
     * Submits the groups to the cluster's workers and hands their records to {@code results} in the
     * order of {@code groups}.
     *
     * @throws FinepruneException if no worker answers, or one runs another Fineprune build
     */
    @Override
    public void run(List<PointGroup> groups, Progress progress, Results results) throws IOException {
        if (groups.isEmpty()) {
            return;
        }
        HazelcastInstance client = connect();
        try {
            new Dispatch(client, groups, results, attempts, connectTimeout, FinepruneBuild.current()).run();
        } finally {
            client.shutdown();
        }
    }

    private HazelcastInstance connect() {
        try {
            return HazelcastClient.newHazelcastClient(HazelcastConfigs.client(addresses, connectTimeout));
        } catch (IllegalStateException e) {
            throw new FinepruneException("no Fineprune worker answered at " + addresses + " within "
                    + connectTimeout.toSeconds() + " s: start one on each machine with `bin/fineprune worker --members "
                    + String.join(",", addresses.stream().map(MemberAddress::toString).toList()) + "`", e);
        }
    }
}
