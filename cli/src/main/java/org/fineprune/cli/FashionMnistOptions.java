package org.fineprune.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.fineprune.data.mnist.FashionMnist;
import org.fineprune.defenses.finepruning.ComparisonConfig;
import org.fineprune.experiments.comparison.FashionMnistComparison;
import picocli.CommandLine.Option;

/** Where the Fashion-MNIST data and the trained BadNets are, and which seeds to run. */
final class FashionMnistOptions {
    @Option(names = "--fashion-mnist", paramLabel = "DIR",
            description = "Folder of the four Fashion-MNIST IDX files (default: ${DEFAULT-VALUE}, from Debian's "
                    + "dataset-fashion-mnist).")
    Path data = FashionMnist.defaultDir();

    @Option(names = "--cache", paramLabel = "DIR",
            description = "Where trained BadNets are kept and reused (default: ${DEFAULT-VALUE}).")
    Path cache = defaultCache();

    @Option(names = "--seeds", split = ",", paramLabel = "1,2,3",
            description = "One run per seed: BadNet training, poisoning and fine-tuning (default: 1).")
    List<Long> seeds = List.of(1L);

    List<Long> seeds() {
        return seeds;
    }

    /** The comparison these flags describe with the given defense settings. */
    FashionMnistComparison comparison(ComparisonConfig config) throws IOException {
        return new FashionMnistComparison(FashionMnist.load(data), seeds, cache, config);
    }

    /** {@code $XDG_CACHE_HOME/fineprune}, or {@code ~/.cache/fineprune}. */
    static Path defaultCache() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("fineprune");
    }
}
