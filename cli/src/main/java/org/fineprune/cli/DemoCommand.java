package org.fineprune.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fineprune.core.ModelOptions;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code fineprune demo}: the whole story on data the machine has, with every setting at its default. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Trains (or reuses) the Fashion-MNIST BadNet of each seed, runs the defenses on it with their "
                + "default settings, and writes results.jsonl (replayed by reproduce) and the report (report.md, "
                + "summary.csv, plots) into --out.",
                "By default the defenses are fine-tuning, pruning, fine-pruning and multi-layer-fine-pruning; "
                        + "--defense runs others, such as the defenses from the field (neural-cleanse, nad, anp, clp) "
                        + "and the detectors (strip, activation-clustering, spectral-signatures).",
                "Needs Fashion-MNIST: `sudo apt-get install dataset-fashion-mnist`, or --fashion-mnist DIR."})
final class DemoCommand implements Callable<Integer> {
    @Mixin
    FashionMnistOptions fashionMnist;

    @Mixin
    ProtocolOptions protocol;

    @ArgGroup(exclusive = false)
    DefenseAxisOption defenseAxis;

    @Option(names = "--seeds", split = ",", paramLabel = "1,2,3",
            description = "One BadNet and one run of each defense per seed (default: 1).")
    List<Long> seeds = List.of(1L);

    @Option(names = "--out", defaultValue = "fineprune-demo", paramLabel = "DIR",
            description = "Folder for results.jsonl and the report (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--force", description = "Replace the files a finished earlier demo left in --out.")
    boolean force;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        List<String> defenses = defenseAxis == null ? ComparisonRun.DEFENSES : defenseAxis.defenses;
        ComparisonRun.run(ComparisonRun.plan("demo", fashionMnist.subject(), defenses, Map.of(),
                ModelOptions.DEFAULT_ENGINE, seeds, protocol.protocols()), out, force, spec.commandLine().getOut());
        return 0;
    }
}
