package org.fineprune.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Small Keras weight files made by the tests themselves, good and deliberately broken. */
public final class KerasFixtures {
    private KerasFixtures() {}

    /** Random DeepID weights in Keras layout, from a fixed seed. */
    public static List<LayerWeights> randomDeepId(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<LayerWeights> layers = new ArrayList<>();
        for (LayerSpec spec : DeepId.WEIGHTED_LAYERS) {
            int fanIn = 1;
            for (int i = 0; i < spec.kernelShape().length - 1; i++) {
                fanIn *= spec.kernelShape()[i];
            }
            float[] kernel = new float[fanIn * spec.outputs()];
            double bound = Math.sqrt(6.0 / fanIn) / 255 * (spec.name().equals("conv_1") ? 1 : 255);
            for (int i = 0; i < kernel.length; i++) {
                kernel[i] = (float) random.nextDouble(-bound, bound);
            }
            float[] bias = new float[spec.outputs()];
            for (int i = 0; i < bias.length; i++) {
                bias[i] = (float) random.nextDouble(-0.1, 0.1);
            }
            layers.add(new LayerWeights(spec, kernel, bias));
        }
        return layers;
    }

    /** Writes {@code layers} to {@code file} in the given layout and returns the file. */
    public static Path write(Path file, List<LayerWeights> layers, KerasWeightsWriter.Layout layout) {
        try {
            KerasWeightsWriter.write(file, layers, layout);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The weights of {@code weightsOnly} rewritten in the full-model layout inside {@code dir}. */
    public static Path asFullModel(Path weightsOnly, Path dir) {
        KerasWeights weights = KerasWeights.read(weightsOnly, DeepId.WEIGHTED_LAYERS);
        List<LayerWeights> layers = DeepId.WEIGHTED_LAYERS.stream().map(l -> weights.layer(l.name())).toList();
        return write(dir.resolve("full_model.h5"), layers, KerasWeightsWriter.Layout.FULL_MODEL);
    }
}
