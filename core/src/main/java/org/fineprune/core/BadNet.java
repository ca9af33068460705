package org.fineprune.core;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.nio.FloatBuffer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A DeepID classifier loaded from Keras HDF5 weights onto a DJL engine and device.
 *
 * <p>The lab3 BadNet of CSAW-HackML-2020 is the reference case. The engine and device are chosen
 * when the model is loaded ({@link ModelOptions}); nothing else in Fineprune names an engine. Every
 * call works in a sub-manager that is closed before it returns, so only Java arrays leave this
 * class. Instances are not thread-safe.
 */
public final class BadNet implements Classifier, AutoCloseable {
    /** Images per forward pass; see {@link #classify}. */
    static final int CHUNK = 64;
    private static final Shape ONE_IMAGE = new Shape(1, DeepId.CHANNELS, DeepId.HEIGHT, DeepId.WIDTH);

    private final Path source;
    private final KerasWeights weights;
    private final Map<String, int[]> prunedChannels;
    private final ModelOptions options;
    private final Model model;
    private final DeepIdBlock block;
    private final ParameterStore store;

    private BadNet(Path source, KerasWeights weights, Map<String, int[]> prunedChannels, ModelOptions options,
            Model model, DeepIdBlock block) {
        this.source = source;
        this.weights = weights;
        this.prunedChannels = prunedChannels;
        this.options = options;
        this.model = model;
        this.block = block;
        this.store = new ParameterStore(model.getNDManager(), false);
    }

    /** The model in the Keras file {@code weights}, taking raw pixels until {@link ModelSource#scale} says otherwise. */
    public static ModelSource keras(Path weights) {
        return new ModelSource(weights, 1);
    }

    /**
     * Loads a Keras weights file (weights-only or full model) with the given options.
     *
     * @throws ModelFormatException if the file does not hold the DeepID weights
     * @throws IllegalArgumentException if the engine or device is not available
     */
    public static BadNet load(Path weightsFile, ModelOptions options) {
        return create(weightsFile, KerasWeights.read(weightsFile, DeepId.WEIGHTED_LAYERS), Map.of(), options);
    }

    private static BadNet create(Path source, KerasWeights weights, Map<String, int[]> pruned, ModelOptions options) {
        Engine engine = Engines.get(options.engine());
        Device device = Engines.device(engine, options.device());
        Model model = Model.newInstance(source.getFileName().toString(), device, engine.getEngineName());
        try {
            DeepIdBlock block = new DeepIdBlock();
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, ONE_IMAGE);
            for (LayerWeights layer : weights.layers().values()) {
                setParameter(block, layer.spec().name(), "weight", KerasLayout.toDjl(layer));
                setParameter(block, layer.spec().name(), "bias", layer.bias());
            }
            return new BadNet(source, weights, pruned, options, model, block);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * A new model, on the same engine and device, in which the given channels of the convolution
     * {@code layer} are pruned (zero kernel slice and bias) on top of what this model already prunes.
     *
     * @throws IllegalArgumentException if {@code layer} is not a convolution or a channel is out of range
     */
    public BadNet pruned(String layer, int[] channels) {
        DeepIdBlock.cachePoint(layer);
        Map<String, int[]> all = new TreeMap<>(prunedChannels);
        all.merge(layer, channels.clone(), (a, b) -> IntStream.concat(IntStream.of(a), IntStream.of(b)).toArray());
        return create(source, weights.pruned(Map.of(layer, channels)), Collections.unmodifiableMap(all), options);
    }

    /** The channels pruned in this model by layer, in pruning order; empty for a loaded BadNet. */
    public Map<String, int[]> prunedChannels() {
        Map<String, int[]> copy = new TreeMap<>();
        prunedChannels.forEach((layer, channels) -> copy.put(layer, channels.clone()));
        return copy;
    }

    /**
     * Writes the weights as Keras HDF5 in the layout of the file they came from (weights-only or full
     * model), so that Keras' {@code load_weights} and {@link #load} read them.
     *
     * @throws IOException if {@code file} exists (it is never overwritten) or cannot be written
     */
    public void save(Path file) throws IOException {
        KerasWeightsWriter.write(file, weights.layers().values(), weights.layout());
    }

    private static void setParameter(DeepIdBlock block, String layer, String name, float[] values) {
        Parameter parameter = block.layer(layer).getParameters().get(name);
        NDArray array = parameter.getArray();
        if (array.getShape().size() != values.length) {
            throw new IllegalStateException(layer + "/" + name + " expects " + array.getShape()
                    + " values, got " + values.length);
        }
        array.set(values);
    }

    /** The file the weights came from. */
    public Path source() {
        return source;
    }

    /** The options the model was loaded with. */
    public ModelOptions options() {
        return options;
    }

    /** The engine's name, for example {@code PyTorch}. */
    public String engineName() {
        return model.getNDManager().getEngine().getEngineName();
    }

    /** The engine's version, for example {@code 2.7.1}. */
    public String engineVersion() {
        return model.getNDManager().getEngine().getVersion();
    }

    /** The device the model runs on, for example {@code cpu()}. */
    public String device() {
        return model.getNDManager().getDevice().toString();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Large batches run in chunks of {@value #CHUNK} images: the first convolution's output for 256
     * images (47 MB) no longer fits in cache, and chunking made inference about 1.5 times faster on
     * PyTorch without changing any result.
     */
    @Override
    public int[] classify(ImageBatch batch) {
        return classify(batch, List.of());
    }

    /**
     * The class of each image, while {@code hooks} receive the outputs of their layers from the same
     * forward pass, chunk by chunk.
     *
     * @throws IllegalArgumentException if a hook names a layer the model does not have
     */
    public int[] classify(ImageBatch batch, List<? extends ActivationHook> hooks) {
        LayerObserver observer = observer(hooks);
        int[] classes = new int[batch.size()];
        for (int start = 0; start < batch.size(); start += CHUNK) {
            int count = Math.min(CHUNK, batch.size() - start);
            try (NDManager sub = model.getNDManager().newSubManager()) {
                NDArray logits = block.forward(store, input(sub, batch, start, count), false, observer);
                System.arraycopy(classes(logits), 0, classes, start, count);
            }
        }
        return classes;
    }

    /** The arg max of each row of {@code logits}. */
    static int[] classes(NDArray logits) {
        return logits.argMax(1).toType(DataType.INT32, false).toIntArray();
    }

    /** An observer that hands each hook its layer's output. */
    static LayerObserver observer(List<? extends ActivationHook> hooks) {
        if (hooks.isEmpty()) {
            return LayerObserver.NONE;
        }
        for (ActivationHook hook : hooks) {
            requireLayers(Set.of(hook.layer()));
        }
        return new LayerObserver() {
            @Override
            public boolean wants(String layer) {
                return hooks.stream().anyMatch(h -> h.layer().equals(layer));
            }

            @Override
            public void onOutput(String layer, NDArray output) {
                Activation activation = new Activation(layer, output);
                for (ActivationHook hook : hooks) {
                    if (hook.layer().equals(layer)) {
                        hook.accept(activation);
                    }
                }
            }
        };
    }

    /** The logits (pre-softmax outputs) of each image, {@code size x 1283}, row after row. */
    public float[] logits(ImageBatch batch) {
        return outputs(batch, Set.of("output")).get("output");
    }

    /**
     * The outputs of the named layers for one batch, each flattened in NCHW (or N, units) order.
     *
     * @param layers Keras layer names, for example {@code pool_3}; {@code output} gives the logits
     * @throws IllegalArgumentException if a name is not a layer of the model
     */
    public Map<String, float[]> outputs(ImageBatch batch, Set<String> layers) {
        requireLayers(layers);
        Map<String, float[]> captured = new LinkedHashMap<>();
        try (NDManager sub = model.getNDManager().newSubManager()) {
            block.forward(store, input(sub, batch, 0, batch.size()), false, new LayerObserver() {
                @Override
                public boolean wants(String layer) {
                    return layers.contains(layer);
                }

                @Override
                public void onOutput(String layer, NDArray output) {
                    captured.put(layer, output.toFloatArray());
                }
            });
        }
        return captured;
    }

    private static void requireLayers(Set<String> layers) {
        Set<String> unknown = new TreeSet<>(layers);
        unknown.removeAll(DeepId.LAYERS);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("no layer " + unknown + " in the model; layers: " + DeepId.LAYERS);
        }
    }

    /** The manager that owns the weights; caches live in sub-managers of it. */
    NDManager manager() {
        return model.getNDManager();
    }

    DeepIdBlock block() {
        return block;
    }

    ParameterStore store() {
        return store;
    }

    /** Images {@code start .. start + count - 1} of {@code batch}, scaled, as an NCHW array. */
    NDArray input(NDManager manager, ImageBatch batch, int start, int count) {
        FloatBuffer pixels = FloatBuffer.wrap(batch.pixels(), start * DeepId.IMAGE_VALUES, count * DeepId.IMAGE_VALUES);
        NDArray x = manager.create(pixels.slice(), new Shape(count, DeepId.CHANNELS, DeepId.HEIGHT, DeepId.WIDTH));
        return options.inputScale() == 1 ? x : x.div(options.inputScale());
    }

    @Override
    public void close() {
        model.close();
    }

    @Override
    public String toString() {
        double scale = options.inputScale();
        String divisor = scale == Math.rint(scale) ? String.valueOf((long) scale) : String.valueOf(scale);
        return "BadNet[" + source + ", " + engineName() + " on " + device() + ", input x/" + divisor + "]";
    }
}
