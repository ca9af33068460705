package org.fineprune.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.fineprune.distributed.MemberAddress;
import org.fineprune.distributed.Worker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Starts a cluster member that runs the groups of points that {@code sweep --cluster} submits. */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = {"Starts a cluster member that runs the points of sweeps submitted with `sweep --cluster`, "
                + "until stopped (Ctrl-C). Start one on each machine with the same --members.",
                "Every machine needs Java 17, this Fineprune build and the sweep's files at the same paths (or a "
                        + "shared file system); members talk only to the addresses given."})
final class WorkerCommand implements Callable<Integer> {
    @Option(names = "--members", required = true, split = ",", paramLabel = "HOST[:PORT],...",
            description = "Every member of the cluster, this one included (port 5701 by default).")
    List<String> members;

    @Option(names = "--bind", paramLabel = "HOST[:PORT]", description = "This member's address, one of --members "
            + "(default: the first of them that is an address of this machine).")
    String bind;

    @Option(names = "--tasks", defaultValue = "1", paramLabel = "N",
            description = "Groups of points run at a time (default: ${DEFAULT-VALUE}: the engine's threads use the "
                    + "machine).")
    int tasks;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        List<MemberAddress> addresses = MemberAddress.list(members.toArray(String[]::new));
        MemberAddress at = bind == null ? Worker.localAmong(addresses) : MemberAddress.parse(bind);
        if (!addresses.contains(at)) {
            throw new IllegalArgumentException("--bind " + at + " is not one of --members " + addresses);
        }
        try (Worker worker = Worker.start(addresses, at, tasks)) {
            spec.commandLine().getOut().printf("worker at %s, in a cluster of %s; Ctrl-C stops it%n", worker.address(),
                    worker.members());
            while (worker.running()) {
                Thread.sleep(1000);
            }
        }
        return 0;
    }
}
