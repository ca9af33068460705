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

    @Option(names = "--network", paramLabel = "NAME",
            description = "Without --model: the BadNet's network, small-cnn (default), wide-cnn or preact-resnet.")
    String network;

    @Option(names = "--attack", paramLabel = "NAME",
            description = "Without --model: the attack, patch (default: a 4x4 checkerboard), blend or all-to-all.")
    String attack;

    @Option(names = "--poison-rate", paramLabel = "RATE",
            description = "Without --model: the share of the training images poisoned (default: 0.1).")
    Double rate;

    @Option(names = "--pruning-aware", description = "Without --model: train the BadNet by the pruning-aware attack.")
    boolean pruningAware;

    /** Whether a flag that describes the Fashion-MNIST BadNet, not where it is kept, was given. */
    boolean recipeGiven() {
        return network != null || attack != null || rate != null || pruningAware;
    }

    /** The project's Fashion-MNIST BadNet of each seed, as these flags locate and describe it. */
    FashionMnistSubject subject() {
        return FashionMnistSubject.of(data, cache).recipe(network != null ? network : FashionMnistSubject.DEFAULT_NETWORK,
                attack != null ? attack : FashionMnistSubject.DEFAULT_ATTACK,
                rate != null ? rate : FashionMnistSubject.DEFAULT_RATE, pruningAware);
    }

    /** {@code $XDG_CACHE_HOME/fineprune}, or {@code ~/.cache/fineprune}. */
    static Path defaultCache() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("fineprune");
    }
}
