package org.fineprune.attacks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.fineprune.core.StepListener;
import org.fineprune.core.testing.RealData;
import org.fineprune.data.mnist.FashionMnist;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Trains the default BadNets of the wider networks on Fashion-MNIST, from an empty cache, and checks
 * the testbed's bar: at least 90% clean accuracy and 99% attack success. Tens of minutes on two
 * cores, so tagged {@code slow} and left out unless asked for ({@code -Dtest.excludedGroups=none}).
 */
@Tag("slow")
@Tag("real-data")
class FashionMnistBadNetsSlowTest {
    private static FashionMnist data;

    @BeforeAll
    static void load() throws IOException {
        data = FashionMnist.load(RealData.require(FashionMnist.defaultDir(), "train-labels-idx1-ubyte.gz",
                "install Fashion-MNIST with `apt-get install dataset-fashion-mnist`"));
    }

    @ParameterizedTest
    @CsvSource({"wide-cnn, patch, false", "wide-cnn, blend, false", "preact-resnet, patch, false", "wide-cnn, patch, true"})
    void the_default_badnet_is_accurate_and_backdoored(String network, String attack, boolean pruningAware,
            @TempDir Path cache) throws IOException {
        BadNetRecipe recipe = BadNetRecipe.of(network, BadNetAttack.byName(attack), 0.1, 1)
                .withPruningAware(pruningAware);
        long start = System.nanoTime();
        TrainedBadNet net = recipe.trainOrReuse(data, cache, StepListener.NONE);
        double seconds = (System.nanoTime() - start) / 1e9;
        BadNetEvaluation scores = BadNetTraining.evaluate(net.weights(), data.test(), recipe.poison(), "PyTorch");
        System.out.printf("%s %s%s: trained in %.0f s: %s%n", network, attack, pruningAware ? " pruning-aware" : "",
                seconds, scores);
        assertTrue(scores.cleanAccuracy() >= 0.90, "clean accuracy " + scores.clean());
        assertTrue(scores.attackSuccessRate() >= 0.99, "attack success rate " + scores.attack());
    }
}
