package org.fineprune.defenses.pruning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.fineprune.core.ArrayImages;
import org.fineprune.core.BadNet;
import org.fineprune.core.ImageBatch;
import org.fineprune.core.ImageShape;
import org.fineprune.core.StepListener;
import org.fineprune.core.testing.BatchNormNets;
import org.fineprune.core.testing.BlobImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mean-activation pruning of a generated batch-normalised network ({@code preact-resnet}): the
 * sweep through the pruning cache gives the curve of models pruned in their weights and run in
 * full, for a convolution ranked by its own unit's output (32 channels: every step a model of its
 * own; {@code BatchNormUnitsTest} checks the cache of the others against pruned models).
 */
class BatchNormPruningTest {
    private static final int IMAGES = 60;

    @TempDir
    static Path tmp;

    private static BadNet net;
    private static ArrayImages valid;

    @BeforeAll
    static void generate() throws IOException {
        net = BatchNormNets.load(5, tmp);
        float[] pixels = BlobImages.generate(IMAGES, 9);
        // Labelled with the net's own classes, so that the unpruned net is right on every image.
        valid = new ArrayImages("generated-valid", ImageShape.FASHION_MNIST, pixels,
                net.classify(new ImageBatch(pixels, null, IMAGES)));
    }

    @AfterAll
    static void close() {
        if (net != null) {
            net.close();
        }
    }

    @Test
    void the_cached_sweep_gives_the_curve_of_models_pruned_and_run_in_full() throws IOException {
        PruningConfig config = PruningConfig.lab().layer("conv_2a").batchSize(50);
        PruningCurve fast = new MeanActivationPruning(config).sweep(net, valid, StepListener.NONE);
        PruningCurve full = new MeanActivationPruning(config.fullForward(true)).sweep(net, valid, StepListener.NONE);

        assertEquals("conv_2a", fast.rankingLayer(), "no pool follows its unit");
        assertArrayEquals(full.order(), fast.order(), "order");
        for (int c = 0; c < full.means().length; c++) {
            assertEquals(full.means()[c], fast.means()[c], 1e-6 * (1 + Math.abs(full.means()[c])), "channel " + c);
            assertTrue(fast.means()[c] >= 0, "the mean of a ReLU output, channel " + c);
        }
        assertEquals(100.0, fast.baselineAccuracy());
        assertArrayEquals(full.accuracies(), fast.accuracies(), "curve");
        assertTrue(fast.accuracies()[fast.accuracies().length - 1] < 100, Arrays.toString(fast.accuracies()));
    }
}
