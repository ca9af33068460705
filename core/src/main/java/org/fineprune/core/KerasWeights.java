package org.fineprune.core;

import io.jhdf.HdfFile;
import io.jhdf.api.Group;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The weights of a Keras model read from HDF5, in Keras layout, checked against the expected layers.
 *
 * <p>Reads both files Keras writes: {@code model.save_weights} (layers at the root) and {@code
 * model.save} (layers under {@code model_weights/}). Each layer group lists its datasets in the
 * attribute {@code weight_names}; kernels come first, biases second.
 *
 * @param file the file the weights were read from
 * @param layout where the file keeps its layers, so that a derived model can be written the same way
 * @param layers the weights of each expected layer, in the order given
 */
public record KerasWeights(Path file, KerasWeightsWriter.Layout layout, Map<String, LayerWeights> layers) {
    /** Keras' group for the weights inside a full model file. */
    static final String FULL_MODEL_GROUP = "model_weights";

    /**
     * Reads and checks the weights of {@code expected} layers from {@code file}.
     *
     * @throws ModelFormatException if the file is not HDF5, a layer or weight is missing, a shape
     *     differs from the expected one, or a weight is NaN or infinite
     */
    public static KerasWeights read(Path file, List<LayerSpec> expected) {
        return KerasHdf5.read(file, hdf -> {
            Group root = KerasHdf5.layers(hdf);
            KerasWeightsWriter.Layout layout = root == hdf ? KerasWeightsWriter.Layout.WEIGHTS_ONLY
                    : KerasWeightsWriter.Layout.FULL_MODEL;
            Map<String, LayerWeights> layers = new LinkedHashMap<>();
            for (LayerSpec spec : expected) {
                layers.put(spec.name(), readLayer(file, hdf, root, spec));
            }
            return new KerasWeights(file, layout, Collections.unmodifiableMap(layers));
        });
    }

    /**
     * A copy in which the given output channels of convolution layers have a zero kernel slice and
     * bias: the pruning of Fine-Pruning. A pruned channel's output is then ReLU(0) = 0 for every input.
     *
     * @param channels pruned channels by convolution layer name
     * @throws IllegalArgumentException if a layer is not a convolution or a channel is out of range
     */
    public KerasWeights pruned(Map<String, int[]> channels) {
        Map<String, LayerWeights> copy = new LinkedHashMap<>(layers);
        channels.forEach((name, pruned) -> {
            LayerWeights layer = layer(name);
            if (!layer.spec().isConv()) {
                throw new IllegalArgumentException("layer '" + name + "' is not a convolution; only conv layers are pruned");
            }
            int out = layer.spec().outputs();
            float[] kernel = layer.kernel().clone();
            float[] bias = layer.bias().clone();
            for (int c : pruned) {
                if (c < 0 || c >= out) {
                    throw new IllegalArgumentException("channel " + c + " of '" + name + "' is outside [0, " + out + ")");
                }
                for (int i = c; i < kernel.length; i += out) {
                    kernel[i] = 0;
                }
                bias[c] = 0;
            }
            copy.put(name, new LayerWeights(layer.spec(), kernel, bias));
        });
        return new KerasWeights(file, layout, Collections.unmodifiableMap(copy));
    }

    /** The weights of the layer called {@code name}. */
    public LayerWeights layer(String name) {
        LayerWeights w = layers.get(name);
        if (w == null) {
            throw new IllegalArgumentException("no weights for layer '" + name + "' in " + file);
        }
        return w;
    }

    private static LayerWeights readLayer(Path file, HdfFile hdf, Group root, LayerSpec spec) {
        Group layer = KerasHdf5.layer(file, root, spec.name());
        List<String> names = KerasHdf5.weightNames(layer);
        if (names.size() != 2) {
            throw new ModelFormatException(file + ": layer '" + spec.name() + "' should hold a kernel and a bias, found "
                    + names);
        }
        float[] kernel = KerasHdf5.weight(file, hdf, layer, spec.name(), names.get(0), spec.kernelShape());
        float[] bias = KerasHdf5.weight(file, hdf, layer, spec.name(), names.get(1), spec.biasShape());
        return new LayerWeights(spec, kernel, bias);
    }
}
