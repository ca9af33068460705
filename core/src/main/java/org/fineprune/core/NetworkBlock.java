package org.fineprune.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The DJL block of an {@link Architecture}, its weighted layers named as in Keras, with channel
 * masks: a masked-out channel of a convolution outputs zero, as if its kernel slice and bias were
 * zero. Masks are engine arrays of shape (1, C, 1, 1) holding 1 (keep) or 0 (pruned).
 */
abstract class NetworkBlock extends AbstractBlock {
    private final Architecture architecture;
    /** The weighted layers by Keras name; DJL prefixes child names with their position. */
    private final Map<String, Block> layers = new LinkedHashMap<>();
    private Map<String, NDArray> masks = Map.of();

    NetworkBlock(Architecture architecture, byte version) {
        super(version);
        this.architecture = architecture;
    }

    /** Adds the child block of the weighted layer {@code name}. */
    final Block addLayer(String name, Block block) {
        addChildBlock(name, block);
        layers.put(name, block);
        return block;
    }

    /**
     * Runs the network from the output of layer {@code from} ({@code input}, or a {@link
     * Architecture#cachePoint} computed without masks) to the logits, applying {@code masks}.
     */
    abstract NDArray forward(ParameterStore store, NDArray x, String from, Map<String, NDArray> masks,
            boolean training, LayerObserver observer);

    /** Uses {@code keep} masks by convolution name in every later call of DJL's {@code forward}, as during training. */
    final void setMasks(Map<String, NDArray> keep) {
        masks = Map.copyOf(keep);
    }

    @Override
    protected final NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(store, inputs.singletonOrThrow(), "input", masks, training, LayerObserver.NONE));
    }

    @Override
    public final Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), architecture.classes())};
    }

    /** {@code x} times the mask of {@code conv}, if there is one. */
    static NDArray masked(NDArray x, String conv, Map<String, NDArray> masks) {
        NDArray keep = masks.get(conv);
        return keep == null ? x : x.mul(keep);
    }

    /** The DJL parameter {@code name} ({@code weight} or {@code bias}) of a weighted layer. */
    final Parameter parameter(String layer, String name) {
        return block(layer).getParameters().get(name);
    }

    /** The child block of the weighted layer {@code name}. */
    final Block block(String name) {
        Block block = layers.get(name);
        if (block == null) {
            throw new IllegalArgumentException("no weighted layer '" + name + "' in " + architecture.name());
        }
        return block;
    }

    /** The current weights in Keras layout, in the architecture's order: copies, safe to keep after closing. */
    final List<LayerWeights> weights() {
        List<LayerWeights> weights = new ArrayList<>();
        for (LayerSpec spec : architecture.weightedLayers()) {
            float[] kernel = parameter(spec.name(), "weight").getArray().toFloatArray();
            float[] bias = parameter(spec.name(), "bias").getArray().toFloatArray();
            weights.add(new LayerWeights(spec, KerasLayout.toKeras(spec, kernel), bias));
        }
        return List.copyOf(weights);
    }

    /**
     * Sets every weighted layer from Keras-layout weights.
     *
     * @throws IllegalArgumentException if a layer is missing or its shapes differ
     */
    final void setWeights(Collection<LayerWeights> weights) {
        Map<String, LayerWeights> byLayer = new LinkedHashMap<>();
        weights.forEach(w -> byLayer.put(w.spec().name(), w));
        for (LayerSpec spec : architecture.weightedLayers()) {
            LayerWeights w = byLayer.get(spec.name());
            if (w == null) {
                throw new IllegalArgumentException("no weights for layer '" + spec.name() + "'");
            }
            if (!w.spec().equals(spec)) {
                throw new IllegalArgumentException("layer '" + spec.name() + "' is " + spec + ", weights are for "
                        + w.spec());
            }
            set(spec.name(), "weight", KerasLayout.toDjl(w));
            set(spec.name(), "bias", w.bias());
        }
    }

    private void set(String layer, String name, float[] values) {
        NDArray array = parameter(layer, name).getArray();
        if (array.getShape().size() != values.length) {
            throw new IllegalArgumentException(layer + "/" + name + " expects " + array.getShape() + " values, got "
                    + values.length);
        }
        array.set(values);
    }
}
