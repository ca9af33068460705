package org.fineprune.cli;

import java.nio.file.Path;
import org.fineprune.data.mnist.FashionMnist;
import org.fineprune.experiments.FashionMnistSubject;
import picocli.CommandLine.Option;

/** Where the Fashion-MNIST data and the project's trained BadNets are: the subject without {@code --model}. */
final class FashionMnistOptions {
    @Option(names = "--fashion-mnist", paramLabel = "DIR",
            description = "Without --model: folder of the four Fashion-MNIST IDX files (default: ${DEFAULT-VALUE}, "
                    + "from Debian's dataset-fashion-mnist).")
    Path data = FashionMnist.defaultDir();

    @Option(names = "--cache", paramLabel = "DIR",
            description = "Without --model: where the BadNet trained for each seed is kept and reused "
                    + "(default: ${DEFAULT-VALUE}).")
    Path cache = defaultCache();

    /** The project's Fashion-MNIST BadNet of each seed, as these flags locate it. */
    FashionMnistSubject subject() {
        return FashionMnistSubject.of(data, cache);
    }

    /** {@code $XDG_CACHE_HOME/fineprune}, or {@code ~/.cache/fineprune}. */
    static Path defaultCache() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("fineprune");
    }
}
