package org.fineprune.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.fineprune.defenses.finepruning.ComparisonConfig;
import org.fineprune.experiments.OutputFolder;
import org.fineprune.experiments.comparison.FashionMnistComparison;
import org.fineprune.experiments.comparison.SeedComparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code fineprune demo}: the whole story on data the machine has, with every setting at its default. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Trains (or reuses) the Fashion-MNIST BadNet, runs Fine-Pruning's comparison of fine-tuning, "
                + "pruning, fine-pruning and multi-layer fine-pruning on it, and writes the table.",
                "Needs Fashion-MNIST: `sudo apt-get install dataset-fashion-mnist`, or --fashion-mnist DIR."})
final class DemoCommand implements Callable<Integer> {
    @Mixin
    FashionMnistOptions fashionMnist;

    @Option(names = "--out", defaultValue = "fineprune-demo", paramLabel = "DIR",
            description = "Folder for comparison.md, comparison.csv and comparison.jsonl (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--force", description = "Replace the files an earlier demo left in --out.")
    boolean force;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        OutputFolder folder = ComparisonFiles.claim(out, force);
        FashionMnistComparison comparison = fashionMnist.comparison(ComparisonConfig.defaults());
        List<SeedComparison> runs = comparison.run(ComparisonFiles.phases());
        ComparisonFiles.write(folder, ComparisonFiles.fashionMnistTitle(), comparison, runs, spec.commandLine().getOut());
        return 0;
    }
}
