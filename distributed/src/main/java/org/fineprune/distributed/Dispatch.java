package org.fineprune.distributed;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.ExecutionCallback;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.fineprune.core.FinepruneException;
import org.fineprune.experiments.GroupExecutor;
import org.fineprune.experiments.PointGroup;
import org.fineprune.reproducibility.RunRecord;

/**
 * One sweep's groups on a cluster: each idle worker gets the next pending group (one it has not
 * failed, where another worker could take that one), finished groups are buffered until every group
 * before them is done, and a group is given up after {@code attempts} failures, a worker that left
 * counting as one. All bookkeeping happens on the submitting thread; Hazelcast's callbacks only queue
 * what finished.
 */
final class Dispatch {
    private final IExecutorService executor;
    private final HazelcastInstance client;
    private final List<PointGroup> groups;
    private final GroupExecutor.Results results;
    private final int attempts;
    private final Duration patience;
    private final String build;
    private final Deque<Integer> pending = new ArrayDeque<>();
    /** The group each busy worker runs. */
    private final Map<UUID, Integer> busy = new HashMap<>();
    private final List<Set<UUID>> triedOn = new ArrayList<>();
    private final List<List<String>> failures = new ArrayList<>();
    /** Each group's records once it succeeded, or the reason it was given up. */
    private final Object[] outcomes;
    private final BlockingQueue<Finished> finished = new LinkedBlockingQueue<>();
    private int next;

    /** A task that came back: its outcome, or why its worker could not return one. */
    private record Finished(int group, Member member, GroupTask.Outcome outcome, Throwable lost) {}

    Dispatch(HazelcastInstance client, List<PointGroup> groups, GroupExecutor.Results results, int attempts,
            Duration patience, String build) {
        this.client = client;
        this.executor = client.getExecutorService(HazelcastConfigs.EXECUTOR);
        this.groups = groups;
        this.results = results;
        this.attempts = attempts;
        this.patience = patience;
        this.build = build;
        this.outcomes = new Object[groups.size()];
        for (int i = 0; i < groups.size(); i++) {
            pending.add(i);
            triedOn.add(new HashSet<>());
            failures.add(new ArrayList<>());
        }
    }

    void run() throws IOException {
        requireSameBuild();
        long alone = System.nanoTime();
        while (next < groups.size()) {
            List<Member> workers = workers();
            assign(workers);
            if (!workers.isEmpty() || !busy.isEmpty()) {
                alone = System.nanoTime();
            } else if (System.nanoTime() - alone > patience.toNanos()) {
                giveUpPending("no worker left in the cluster for " + patience.toSeconds() + " s");
            }
            Finished done;
            try {
                done = finished.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FinepruneException("interrupted while the cluster ran the sweep", e);
            }
            if (done != null) {
                settle(done);
            }
            handOver();
        }
    }

    /** Refuses a cluster with a member of another build before any work. */
    private void requireSameBuild() {
        for (Member member : client.getCluster().getMembers()) {
            String theirs = member.getAttribute(HazelcastConfigs.BUILD_ATTRIBUTE);
            if (!member.isLiteMember() && !build.equals(theirs)) {
                throw new FinepruneException("member " + Worker.address(member) + " of the cluster runs Fineprune "
                        + theirs + ", this submitter " + build
                        + ": every machine of a cluster must run the same Fineprune build");
            }
        }
    }

    /** The members that run groups: of this build (one of another that joins later is left alone). */
    private List<Member> workers() {
        return client.getCluster().getMembers().stream().filter(m -> !m.isLiteMember())
                .filter(m -> build.equals(m.getAttribute(HazelcastConfigs.BUILD_ATTRIBUTE))).toList();
    }

    private void assign(List<Member> workers) {
        for (Member worker : workers) {
            if (busy.containsKey(worker.getUuid()) || pending.isEmpty()) {
                continue;
            }
            Integer group = pick(worker, workers);
            if (group != null) {
                pending.remove(group);
                submit(group, worker);
            }
        }
    }

    /** The first pending group this worker has not tried, else one that no idle worker could take fresh. */
    private Integer pick(Member worker, List<Member> workers) {
        for (Integer group : pending) {
            if (!triedOn.get(group).contains(worker.getUuid())) {
                return group;
            }
        }
        for (Integer group : pending) {
            boolean someoneElse = workers.stream().anyMatch(w -> !w.getUuid().equals(worker.getUuid())
                    && !triedOn.get(group).contains(w.getUuid()));
            if (!someoneElse) {
                return group;
            }
        }
        return null;
    }

    private void submit(int group, Member worker) {
        busy.put(worker.getUuid(), group);
        triedOn.get(group).add(worker.getUuid());
        executor.submitToMember(new GroupTask(groups.get(group)), worker, new ExecutionCallback<GroupTask.Outcome>() {
            @Override
            public void onResponse(GroupTask.Outcome outcome) {
                finished.add(new Finished(group, worker, outcome, null));
            }

            @Override
            public void onFailure(Throwable t) {
                finished.add(new Finished(group, worker, null, t));
            }
        });
    }

    private void settle(Finished done) {
        busy.remove(done.member().getUuid());
        int group = done.group();
        if (done.outcome() != null && done.outcome().error() == null) {
            List<RunRecord> records = new ArrayList<>();
            for (String line : done.outcome().records()) {
                records.add(RunRecord.parse(line));
            }
            outcomes[group] = records;
            return;
        }
        String why = done.outcome() != null ? done.outcome().error()
                : "left the cluster (" + done.lost().getClass().getSimpleName() + ")";
        failures.get(group).add(Worker.address(done.member()) + ": " + why);
        if (failures.get(group).size() >= attempts) {
            outcomes[group] = "failed " + failures.get(group).size() + " times: "
                    + String.join("; ", failures.get(group));
        } else {
            pending.addFirst(group);
        }
    }

    private void giveUpPending(String why) {
        for (Integer group : pending) {
            failures.get(group).add(why);
            outcomes[group] = String.join("; ", failures.get(group));
        }
        pending.clear();
    }

    /** Hands over every finished group whose predecessors are all handed over. */
    private void handOver() throws IOException {
        while (next < groups.size() && outcomes[next] != null) {
            Object outcome = outcomes[next];
            if (outcome instanceof String why) {
                results.failed(groups.get(next), why);
            } else {
                @SuppressWarnings("unchecked")
                List<RunRecord> records = (List<RunRecord>) outcome;
                results.completed(groups.get(next), records);
            }
            next++;
        }
    }
}
