package org.fineprune.attacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import org.fineprune.attacks.BadNetTrainingTest.Labelled;
import org.fineprune.core.Architecture;
import org.fineprune.core.ChannelMeans;
import org.fineprune.core.ImageShape;
import org.fineprune.core.InitialWeights;
import org.fineprune.core.SmallCnn;
import org.fineprune.core.StepListener;
import org.fineprune.core.Training;
import org.fineprune.core.TrainingConfig;
import org.fineprune.core.graph.ConvUnits;
import org.fineprune.core.graph.GraphModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The pruning-aware attack on generated data: which channels it prunes, and that they come back dormant. */
class PruningAwareAttackTest {
    private static final int N = 300;
    private static final TrainingConfig CONFIG = new TrainingConfig(1, 50, 1e-3, 5, "PyTorch");

    @ParameterizedTest
    @ValueSource(strings = {"small-cnn", "wide-cnn", "preact-resnet"})
    void the_reinstated_channels_keep_their_clean_weights_and_are_dormant_on_clean_data(String name) {
        Architecture network = FashionMnistNetworks.byName(name);
        Labelled clean = BadNetTrainingTest.synthetic(N, 8);
        PoisonedSet poisoned = Poisoning.poison(clean.images(), clean.labels(), ImageShape.FASHION_MNIST,
                BadNetAttack.PATCH.poison(0.1, 1));
        GraphModel initial = InitialWeights.of(network.graph(), CONFIG.seed());

        PruningAwareAttack.Result attack = PruningAwareAttack.train(initial, clean.images(), clean.labels(), poisoned,
                SmallCnn.INPUT_SCALE, CONFIG, StepListener.NONE);

        String layer = network.pruningLayer();
        assertEquals(layer, attack.layer());
        int channels = network.conv(layer).outputs();
        int[] reinstated = attack.reinstated();
        assertEquals(Math.round(PruningAwareAttack.PRUNED_SHARE * channels), reinstated.length);

        // Step 1 again: the same seed trains the same clean network.
        GraphModel cleanNet = Training.train(initial, clean.images(), clean.labels(), SmallCnn.INPUT_SCALE, CONFIG,
                Map.of(), StepListener.NONE);
        ChannelMeans before = new ChannelMeans(network.rankingLayer(layer));
        PruningAwareAttack.observe(cleanNet, clean.images(), SmallCnn.INPUT_SCALE, "PyTorch", before);
        assertArrayEquals(PruningAwareAttack.leastActive(before.means(), reinstated.length), reinstated,
                "the channels least active on clean data are pruned");
        float[] kernel = attack.model().weights().get(layer + "/weight");
        float[] cleanKernel = cleanNet.weights().get(layer + "/weight");
        int slice = kernel.length / channels;
        for (int c : reinstated) {
            assertArrayEquals(Arrays.copyOfRange(cleanKernel, c * slice, (c + 1) * slice),
                    Arrays.copyOfRange(kernel, c * slice, (c + 1) * slice), "kernel of channel " + c);
        }

        ChannelMeans after = new ChannelMeans(new ConvUnits(network.graph()).unitEnd(layer));
        PruningAwareAttack.observe(attack.model(), clean.images(), SmallCnn.INPUT_SCALE, "PyTorch", after);
        double[] means = after.means();
        for (int c : reinstated) {
            assertEquals(0.0, means[c], "re-instated channel " + c + " is dormant on clean data");
        }
        assertTrue(Arrays.stream(means).anyMatch(m -> m > 0), "the kept channels are active");
    }

    @Test
    void the_least_active_channels_are_chosen_lowest_index_first_among_equals() {
        assertArrayEquals(new int[] {1, 2, 4}, PruningAwareAttack.leastActive(new double[] {0.5, 0, 0.1, 0.7, 0}, 3));
    }
}
