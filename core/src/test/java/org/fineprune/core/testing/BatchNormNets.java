package org.fineprune.core.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.fineprune.core.BadNet;
import org.fineprune.core.InitialWeights;
import org.fineprune.core.KerasModelWriter;
import org.fineprune.core.ModelOptions;
import org.fineprune.core.PreActResNet;
import org.fineprune.core.SmallCnn;
import org.fineprune.core.StepListener;
import org.fineprune.core.Training;
import org.fineprune.core.TrainingConfig;
import org.fineprune.core.graph.GraphModel;

/** A generated batch-normalised network for tests: the built-in {@link PreActResNet}. */
public final class BatchNormNets {
    /** Fashion-MNIST scaling on PyTorch, on the CPU. */
    public static final ModelOptions OPTIONS = new ModelOptions(SmallCnn.INPUT_SCALE, "PyTorch", "cpu");

    private static final int IMAGES = 200;
    private static final int EPOCHS = 3;

    private BatchNormNets() {}

    /**
     * The {@link PreActResNet} trained for {@value #EPOCHS} epochs on {@value #IMAGES} {@link
     * BlobImages} labelled by the row of their bright rectangle's centre (five classes), from {@link
     * InitialWeights} with every batch normalisation made far from the identity. Untrained, its global
     * average pool gives every image nearly the same features and so the same class; trained a
     * little, it tells the images apart and its running statistics are the images' own.
     */
    public static GraphModel preActResNet(long seed) {
        float[] pixels = BlobImages.generate(IMAGES, seed);
        return Training.train(randomNormalisations(seed), pixels, rowClasses(pixels), SmallCnn.INPUT_SCALE,
                new TrainingConfig(EPOCHS, 25, 1e-2, seed, "PyTorch"), Map.of(),
                StepListener.NONE);
    }

    /** Five classes: the row (in fifths of the image) of the centre of the pixels brighter than 95. */
    private static int[] rowClasses(float[] pixels) {
        int[] labels = new int[pixels.length / 784];
        for (int n = 0; n < labels.length; n++) {
            double rows = 0;
            int bright = 0;
            for (int p = 0; p < 784; p++) {
                if (pixels[n * 784 + p] > 95) {
                    rows += p / 28;
                    bright++;
                }
            }
            labels[n] = Math.min(4, (int) (rows / Math.max(1, bright) / 5.6));
        }
        return labels;
    }

    /**
     * {@link InitialWeights} of the {@link PreActResNet} with every batch normalisation far from the
     * identity (scale in [0.5, 1.5), shift in [-0.5, 0.5), running mean in [-0.3, 0.3), variance in
     * [0.5, 2)) and biases in [-0.1, 0.1).
     */
    private static GraphModel randomNormalisations(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        GraphModel initial = InitialWeights.of(PreActResNet.INSTANCE.graph(), seed);
        Map<String, float[]> weights = new LinkedHashMap<>();
        initial.weights().forEach((name, values) -> {
            float[] v = values.clone();
            String param = name.substring(name.lastIndexOf('/') + 1);
            for (int i = 0; i < v.length; i++) {
                v[i] = switch (param) {
                    case "gamma" -> (float) random.nextDouble(0.5, 1.5);
                    case "beta" -> (float) random.nextDouble(-0.5, 0.5);
                    case "runningMean" -> (float) random.nextDouble(-0.3, 0.3);
                    case "runningVar" -> (float) random.nextDouble(0.5, 2);
                    case "bias" -> (float) random.nextDouble(-0.1, 0.1);
                    default -> v[i];
                };
            }
            weights.put(name, v);
        });
        return new GraphModel(initial.graph(), weights);
    }

    /** {@link #preActResNet} written as a Keras model file in {@code dir} and loaded. */
    public static BadNet load(long seed, Path dir) throws IOException {
        Path file = dir.resolve("preact-resnet-" + seed + ".h5");
        KerasModelWriter.write(preActResNet(seed), file);
        return BadNet.load(file, OPTIONS);
    }
}
