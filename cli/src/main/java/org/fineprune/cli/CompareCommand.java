package org.fineprune.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.fineprune.core.BadNet;
import org.fineprune.core.ModelOptions;
import org.fineprune.data.LabData;
import org.fineprune.data.LabDataset;
import org.fineprune.defenses.finepruning.DefenseData;
import org.fineprune.defenses.finepruning.FinePruning;
import org.fineprune.defenses.finepruning.Phases;
import org.fineprune.experiments.OutputFolder;
import org.fineprune.experiments.comparison.FashionMnistComparison;
import org.fineprune.experiments.comparison.SeedComparison;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code fineprune compare}: Fine-Pruning's comparison of fine-tuning, pruning, fine-pruning and
 * multi-layer fine-pruning, on a lab-format BadNet or on the project's Fashion-MNIST BadNets.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Runs fine-tuning alone, pruning alone (the last conv layer before the classifier: conv_3 of DeepID, conv_2 of "
                + "the small CNN), fine-pruning and multi-layer "
                + "fine-pruning on one BadNet and scores each with its GoodNet.",
                "Without --model: the project's Fashion-MNIST BadNet of each seed, trained on first use and "
                        + "cached. With --model: a lab-format DeepID BadNet and its data: --data DIR or the files --valid, --test "
                        + "and --poisoned."})
final class CompareCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "M.h5",
            description = "A BadNet in any format evaluate's --model takes (ONNX, Keras model, DeepID weights).")
    Path model;

    @ArgGroup(exclusive = false, heading = DataOptions.HEADING)
    DataOptions data = new DataOptions();

    @Option(names = "--scale", defaultValue = "1", description = "With --model: input divisor (default: ${DEFAULT-VALUE}).")
    double scale;

    @Mixin
    FashionMnistOptions fashionMnist;

    @Mixin
    DefenseOptions defense;

    @Option(names = "--engine", defaultValue = ModelOptions.DEFAULT_ENGINE,
            description = "Engine that runs and fine-tunes the nets (default: ${DEFAULT-VALUE}).")
    String engine;

    @Option(names = "--out", defaultValue = "fineprune-comparison", paramLabel = "DIR",
            description = "Folder for comparison.md, comparison.csv and comparison.jsonl (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--force", description = "Replace the files an earlier comparison left in --out.")
    boolean force;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (model == null && data.given()) {
            throw new IllegalArgumentException("the data options need --model; without it compare runs on Fashion-MNIST");
        }
        LabData files = model == null ? null : data.all();
        OutputFolder folder = ComparisonFiles.claim(out, force);
        PrintWriter stdout = spec.commandLine().getOut();
        Phases phases = ComparisonFiles.phases();
        if (model == null) {
            FashionMnistComparison comparison = fashionMnist.comparison(defense.config(engine, 1));
            List<SeedComparison> runs = comparison.run(phases);
            ComparisonFiles.write(folder, ComparisonFiles.fashionMnistTitle(), comparison, runs, stdout);
            return 0;
        }
        List<SeedComparison> runs = new ArrayList<>();
        try (BadNet net = BadNet.load(model, new ModelOptions(scale, engine, "cpu"))) {
            DefenseData sets = new DefenseData(LabDataset.open(files.valid(), net),
                    LabDataset.open(files.test(), net), LabDataset.open(files.poisoned(), net));
            for (long seed : fashionMnist.seeds()) {
                runs.add(new SeedComparison(seed, model, List.of(files.valid(), files.test(), files.poisoned()),
                        FinePruning.compare(net, sets, defense.config(engine, seed), phases)));
            }
        }
        ComparisonFiles.write(folder, "Fine-Pruning comparison on " + model.getFileName(),
                List.of("BadNet: `" + model + "`; validation `" + files.valid() + "`, test `" + files.test()
                        + "`, poisoned `" + files.poisoned() + "`.", ComparisonFiles.settings(defense.config(engine, 1))), runs,
                defense.config(engine, 1), stdout);
        return 0;
    }
}
