package org.fineprune.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.fineprune.core.ModelOptions;
import org.fineprune.experiments.Subject;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code fineprune compare}: Fine-Pruning's comparison of fine-tuning, pruning, fine-pruning and
 * multi-layer fine-pruning, as a sweep over those defenses and the seeds, on a lab-format BadNet or
 * on the project's Fashion-MNIST BadNets.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Runs fine-tuning, pruning, fine-pruning and multi-layer fine-pruning on one BadNet per seed "
                + "and writes results.jsonl (replayed by reproduce) and the report (report.md, summary.csv, plots) "
                + "into --out; an unfinished earlier run there resumes.",
                "With --model: that BadNet and its data: --data DIR or the files --valid, --test and --poisoned. "
                        + "Without --model: the project's Fashion-MNIST BadNet of each seed, trained on first use "
                        + "and cached."})
final class CompareCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "M.h5",
            description = "A BadNet in any format evaluate's --model takes (ONNX, Keras model, DeepID weights).")
    Path model;

    @Option(names = "--scale", defaultValue = "1", description = "With --model: input divisor (default: ${DEFAULT-VALUE}).")
    double scale;

    @ArgGroup(exclusive = false, heading = DataOptions.HEADING)
    DataOptions data = new DataOptions();

    @Mixin
    FashionMnistOptions fashionMnist;

    @Mixin
    DefenseOptions defense;

    @Mixin
    ProtocolOptions protocol;

    @Option(names = "--seeds", split = ",", paramLabel = "1,2,3",
            description = "One run of each defense per seed; without --model, one BadNet per seed (default: 1).")
    List<Long> seeds = List.of(1L);

    @Option(names = "--engine", defaultValue = ModelOptions.DEFAULT_ENGINE,
            description = "Engine that runs and fine-tunes the nets (default: ${DEFAULT-VALUE}).")
    String engine;

    @Option(names = "--out", defaultValue = "fineprune-comparison", paramLabel = "DIR",
            description = "Folder for results.jsonl and the report (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--force", description = "Replace the files a finished earlier comparison left in --out.")
    boolean force;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Subject subject = SubjectOptions.subject(model, scale, data, fashionMnist);
        ComparisonRun.run(ComparisonRun.plan("compare", subject, defense.settings(), engine, seeds,
                protocol.protocols()), out, force,
                spec.commandLine().getOut());
        return 0;
    }
}
