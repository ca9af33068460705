package org.fineprune.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.fineprune.core.BadNet;
import org.fineprune.data.LabData;
import org.fineprune.data.LabDataset;
import org.fineprune.defenses.pruning.MeanActivationPruning;
import org.fineprune.defenses.pruning.PruningConfig;
import org.fineprune.defenses.pruning.PruningCurve;
import org.fineprune.defenses.pruning.RepairEvaluation;
import org.fineprune.defenses.pruning.RepairReport;
import org.fineprune.defenses.pruning.SelectionRule;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Fine-Pruning's pruning defense from the command line: sweep, select one repaired model per
 * threshold, score B, B' and G on the test sets, and write the models and tables.
 */
@Command(name = "prune", mixinStandardHelpOptions = true,
        description = "Prunes a BadNet by mean activation on clean validation data (Fine-Pruning) and "
                + "scores the repaired models and their GoodNets on the test sets.")
final class PruneCommand implements Callable<Integer> {
    @Mixin
    ModelMixin model;

    @ArgGroup(exclusive = false, heading = DataOptions.HEADING)
    DataOptions data = new DataOptions();

    @Option(names = "--layer",
            description = "Convolution to prune (default: the last one every path to the output passes through, "
                    + "conv_3 for the lab's DeepID, ranked by pool_3 as in the lab; conv_4 is ranked by its own "
                    + "activation).")
    String layer;

    @Option(names = "--drops", split = ",", defaultValue = "2,4,10,30", paramLabel = "D,...",
            description = "Accuracy-drop thresholds in percentage points (default: ${DEFAULT-VALUE}).")
    List<Double> drops;

    @Option(names = "--rule", defaultValue = "first-over", paramLabel = "first-over|last-under",
            description = "first-over (the lab's): first model whose drop reaches the threshold; last-under: "
                    + "the model before it (default: ${DEFAULT-VALUE}).")
    String rule;

    @Option(names = "--out", defaultValue = "prune-results", paramLabel = "DIR",
            description = "Folder for the repaired models, curve and tables (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--force", description = "Replace the results of an earlier run in --out.")
    boolean force;

    @Option(names = "--full-forward",
            description = "Re-run the whole network at every step instead of only the layers after the pruned "
                    + "one (slow; same results).")
    boolean fullForward;

    @Option(names = "--batch", defaultValue = "256", description = "Images per batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        SelectionRule selectionRule = SelectionRule.fromLabel(rule);
        LabData files = data.all();
        PruningOutput output = PruningOutput.prepare(out, force);
        ProgressBars progress = ProgressBars.forThisProcess();
        try (BadNet net = model.load(model.options())) {
            String pruned = layer == null ? net.architecture().pruningLayer() : layer;
            PruningConfig config = new PruningConfig(pruned, null, drops, selectionRule, batchSize, fullForward)
                    .resolve(net.architecture());
            LabDataset validSet = LabDataset.open(files.valid(), net);
            LabDataset testSet = LabDataset.open(files.test(), net);
            LabDataset poisonedSet = LabDataset.open(files.poisoned(), net);
            PruningCurve curve = new MeanActivationPruning(config)
                    .sweep(net, progress.track(validSet, "ranking"), progress.steps("pruning " + pruned));
            var selections = curve.select(config.drops(), config.rule());
            RepairReport report = RepairEvaluation.evaluate(net, pruned, selections, testSet, poisonedSet, batchSize);
            PruningSummary summary = new PruningSummary(config, curve, report);
            output.write(net, summary);
            PrintWriter stdout = spec.commandLine().getOut();
            if (json) {
                stdout.println(Json.line(summary.toJson()));
            } else {
                stdout.print(summary.table());
                stdout.printf("Rule: %s. Written to %s%n", config.rule().label(), out);
            }
        }
        return 0;
    }
}
