package org.fineprune.experiments.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.fineprune.core.BadNet;
import org.fineprune.core.ModelOptions;
import org.fineprune.data.LabDataset;
import org.fineprune.defenses.finepruning.DefenseData;
import org.fineprune.defenses.finepruning.FinePruning;
import org.fineprune.defenses.finepruning.Phases;
import org.fineprune.experiments.OutputFolder;
import org.fineprune.experiments.comparison.FashionMnistComparison;
import org.fineprune.experiments.comparison.SeedComparison;
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
                        + "cached. With --model: a lab-format DeepID BadNet and its --valid, --test and --poisoned "
                        + "files."})
final class CompareCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "M.h5",
            description = "A BadNet in any format evaluate's --model takes (ONNX, Keras model, DeepID weights).")
    Path model;

    @Option(names = "--valid", paramLabel = "VALID.h5", description = "With --model: clean validation data.")
    Path valid;

    @Option(names = "--test", paramLabel = "TEST.h5", description = "With --model: clean test data.")
    Path test;

    @Option(names = "--poisoned", paramLabel = "BD_TEST.h5", description = "With --model: poisoned test data.")
    Path poisoned;

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
        OutputFolder folder = ComparisonFiles.claim(out, force);
        PrintWriter stdout = spec.commandLine().getOut();
        Phases phases = ComparisonFiles.phases();
        if (model == null) {
            FashionMnistComparison comparison = fashionMnist.comparison(defense.config(engine, 1));
            List<SeedComparison> runs = comparison.run(phases);
            ComparisonFiles.write(folder, ComparisonFiles.fashionMnistTitle(), comparison, runs, stdout);
            return 0;
        }
        if (valid == null || test == null || poisoned == null) {
            throw new IllegalArgumentException("--model needs --valid, --test and --poisoned");
        }
        List<SeedComparison> runs = new ArrayList<>();
        try (BadNet net = BadNet.load(model, new ModelOptions(scale, engine, "cpu"))) {
            DefenseData data = new DefenseData(LabDataset.open(valid, net), LabDataset.open(test, net),
                    LabDataset.open(poisoned, net));
            for (long seed : fashionMnist.seeds()) {
                runs.add(new SeedComparison(seed, model, List.of(valid, test, poisoned),
                        FinePruning.compare(net, data, defense.config(engine, seed), phases)));
            }
        }
        ComparisonFiles.write(folder, "Fine-Pruning comparison on " + model.getFileName(),
                List.of("BadNet: `" + model + "`; validation `" + valid + "`, test `" + test + "`, poisoned `"
                        + poisoned + "`.", ComparisonFiles.settings(defense.config(engine, 1))), runs,
                defense.config(engine, 1), stdout);
        return 0;
    }
}
