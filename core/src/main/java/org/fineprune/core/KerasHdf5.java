package org.fineprune.core;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads weights where Keras keeps them in an HDF5 file, with the checks of {@link Hdf5Inputs}: the
 * one reading path of {@link KerasWeights} (weights of a known architecture) and of the graph's
 * {@code KerasReader} (a full model file or an architecture JSON).
 *
 * <p>{@code model.save_weights} keeps the layers at the root, {@code model.save} under {@code
 * model_weights/}; each layer group lists its datasets in the attribute {@code weight_names}.
 */
public final class KerasHdf5 {
    private KerasHdf5() {}

    /**
     * Opens {@code file} ({@link Hdf5Inputs#open}) and applies {@code reader} to it; a failure of
     * jhdf on a corrupt file, over a mapped file also an index error from its buffer, becomes one
     * message naming the file.
     *
     * @throws ModelFormatException if the file cannot be read or {@code reader} finds a fault
     */
    public static <T> T read(Path file, Function<HdfFile, T> reader) {
        try (HdfFile hdf = Hdf5Inputs.open(file, "Keras HDF5 weights file", ModelFormatException::new)) {
            return reader.apply(hdf);
        } catch (FinepruneException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ModelFormatException(file + ": not a readable Keras HDF5 weights file ("
                    + e.getMessage() + ")", e);
        }
    }

    /** The group holding the layers: {@code model_weights/} of a full model file, else the root. */
    public static Group layers(HdfFile hdf) {
        return hdf.getChildren().get(KerasWeights.FULL_MODEL_GROUP) instanceof Group g ? g : hdf;
    }

    /**
     * The group of the layer called {@code name} in {@code layers}.
     *
     * @throws ModelFormatException if there is none, listing the layers there are
     */
    public static Group layer(Path file, Group layers, String name) {
        if (layers.getChildren().get(name) instanceof Group g) {
            return g;
        }
        throw new ModelFormatException(file + ": layer '" + name + "' is missing (layers in file: "
                + layerNames(layers) + ")");
    }

    /**
     * The weights of {@code layer} in Keras' order ({@code weight_names}, or {@code kernel:0} and
     * {@code bias:0} where a writer left that attribute out).
     */
    public static List<String> weightNames(Group layer) {
        Attribute attribute = layer.getAttribute("weight_names");
        List<String> names = new ArrayList<>();
        if (attribute != null && !attribute.isEmpty()) {
            Object data = attribute.getData();
            if (data instanceof String[] strings) {
                names.addAll(Arrays.asList(strings));
            } else if (data != null) {
                names.add(String.valueOf(data));
            }
        }
        if (names.isEmpty()) {
            String n = layer.getName();
            for (String w : List.of("kernel:0", "bias:0")) {
                if (node(layer, n + "/" + w) != null) {
                    names.add(n + "/" + w);
                }
            }
        }
        return names;
    }

    /** What a weight is, from its name: {@code kernel} for {@code conv_1/kernel:0}. */
    public static String role(String weightName) {
        return weightName.substring(weightName.lastIndexOf('/') + 1).replaceAll(":\\d+$", "");
    }

    /**
     * The values of weight {@code name} of {@code layer}, after checking that the header's shape is
     * one the file can hold ({@link Hdf5Inputs#checkedShape}) and is {@code shape}, and that every
     * value is finite.
     *
     * @param layerName the layer as messages name it
     * @throws ModelFormatException naming the file and weight if any check fails
     */
    public static float[] weight(Path file, HdfFile hdf, Group layer, String layerName, String name,
            int[] shape) {
        String what = layerName + "/" + name;
        if (!(node(layer, name) instanceof Dataset dataset)) {
            throw new ModelFormatException(file + ": " + what + " is missing");
        }
        int[] declared = Hdf5Inputs.checkedShape(file, hdf, dataset, what, ModelFormatException::new);
        if (!Arrays.equals(declared, shape)) {
            throw new ModelFormatException(file + ": " + what + " has shape " + Arrays.toString(declared)
                    + ", the architecture needs " + Arrays.toString(shape));
        }
        float[] values = toFloats(file + ": " + what, dataset.getDataFlat());
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new ModelFormatException(file + ": " + what + " holds " + values[i]
                        + " at flat index " + i + "; weights must be finite");
            }
        }
        return values;
    }

    private static Node node(Group group, String path) {
        try {
            return group.getByPath(path);
        } catch (HdfException e) {
            return null;
        }
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

    /** The layers present: those of {@code layer_names} that have a group, in that order. */
    private static List<String> layerNames(Group layers) {
        Map<String, Node> present = layers.getChildren();
        Attribute attribute = layers.getAttribute("layer_names");
        if (attribute != null && attribute.getData() instanceof String[] names) {
            return Arrays.stream(names).filter(n -> present.get(n) instanceof Group).toList();
        }
        return present.entrySet().stream().filter(e -> e.getValue() instanceof Group)
                .map(Map.Entry::getKey).toList();
    }
}
