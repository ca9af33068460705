package org.fineprune.core;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfInvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
        try (HdfFile hdf = Hdf5Inputs.open(file, "Keras HDF5 weights file", ModelFormatException::new)) {
            Group root = hdf;
            KerasWeightsWriter.Layout layout = KerasWeightsWriter.Layout.WEIGHTS_ONLY;
            Node full = hdf.getChildren().get(FULL_MODEL_GROUP);
            if (full instanceof Group g) {
                root = g;
                layout = KerasWeightsWriter.Layout.FULL_MODEL;
            }
            Map<String, LayerWeights> layers = new LinkedHashMap<>();
            for (LayerSpec spec : expected) {
                layers.put(spec.name(), readLayer(file, hdf, root, spec));
            }
            return new KerasWeights(file, layout, Collections.unmodifiableMap(layers));
        } catch (FinepruneException e) {
            throw e;
        } catch (RuntimeException e) {
            // jhdf fails on a corrupt file with its own exceptions and, over a mapped file, with
            // index errors from the buffer; either way the file is at fault.
            throw new ModelFormatException(file + ": not a readable Keras HDF5 weights file ("
                    + e.getMessage() + ")", e);
        }
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
        Node node = root.getChildren().get(spec.name());
        if (!(node instanceof Group layer)) {
            throw new ModelFormatException(file + ": layer '" + spec.name() + "' is missing (layers in file: "
                    + layerNames(root) + ")");
        }
        List<String> names = weightNames(layer);
        if (names.size() != 2) {
            throw new ModelFormatException(file + ": layer '" + spec.name() + "' should hold a kernel and a bias, found "
                    + names);
        }
        float[] kernel = readWeight(file, hdf, layer, names.get(0), spec, spec.kernelShape());
        float[] bias = readWeight(file, hdf, layer, names.get(1), spec, spec.biasShape());
        return new LayerWeights(spec, kernel, bias);
    }

    private static List<String> weightNames(Group layer) {
        Attribute attribute = layer.getAttribute("weight_names");
        List<String> names = new ArrayList<>();
        if (attribute != null && !attribute.isEmpty()) {
            Object data = attribute.getData();
            if (data instanceof String[] strings) {
                names.addAll(Arrays.asList(strings));
            } else if (data instanceof String s) {
                names.add(s);
            }
        }
        if (names.isEmpty()) {
            String n = layer.getName();
            for (String w : List.of("kernel:0", "bias:0")) {
                if (layer.getByPath(n + "/" + w) != null) {
                    names.add(n + "/" + w);
                }
            }
        }
        return names;
    }

    private static float[] readWeight(Path file, HdfFile hdf, Group layer, String name, LayerSpec spec,
            int[] shape) {
        String where = file + ": " + spec.name() + "/" + name;
        Node node;
        try {
            node = layer.getByPath(name);
        } catch (HdfInvalidPathException e) {
            node = null;
        }
        if (!(node instanceof Dataset dataset)) {
            throw new ModelFormatException(where + " is missing");
        }
        int[] declared = Hdf5Inputs.checkedShape(file, hdf, dataset, spec.name() + "/" + name,
                ModelFormatException::new);
        if (!Arrays.equals(declared, shape)) {
            throw new ModelFormatException(where + " has shape " + Arrays.toString(declared)
                    + ", expected " + Arrays.toString(shape));
        }
        float[] values = toFloats(where, dataset.getDataFlat());
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new ModelFormatException(where + " holds " + values[i] + " at flat index " + i
                        + "; weights must be finite");
            }
        }
        return values;
    }

    private static float[] toFloats(String where, Object flat) {
        if (flat instanceof float[] f) {
            return f;
        }
        if (flat instanceof double[] d) {
            float[] f = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                f[i] = (float) d[i];
            }
            return f;
        }
        throw new ModelFormatException(where + " has element type " + flat.getClass().getComponentType()
                + ", expected float32 or float64");
    }

    /** The layers present in the file: those of {@code layer_names} that have a group, in that order. */
    private static List<String> layerNames(Group root) {
        Map<String, Node> present = root.getChildren();
        Attribute attribute = root.getAttribute("layer_names");
        if (attribute != null && attribute.getData() instanceof String[] names) {
            return Arrays.stream(names).filter(n -> present.get(n) instanceof Group).toList();
        }
        return present.entrySet().stream().filter(e -> e.getValue() instanceof Group).map(Map.Entry::getKey)
                .toList();
    }
}
