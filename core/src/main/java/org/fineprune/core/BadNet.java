package org.fineprune.core;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.fineprune.core.graph.GraphModel;
import org.fineprune.core.graph.KerasReader;
import org.fineprune.core.graph.OnnxReader;
import org.fineprune.core.graph.OnnxWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A classifier loaded from a model file onto a DJL engine and device: an ONNX model, a Keras
 * full-model file, or Keras weights of a known {@link Architecture} (DeepID by default).
 *
 * <p>The lab3 BadNet of CSAW-HackML-2020 (DeepID) is the reference case. The engine and device are chosen
 * when the model is loaded ({@link ModelOptions}); nothing else in Fineprune names an engine. Every
 * call works in a sub-manager that is closed before it returns, so only Java arrays leave this
 * class. Instances are not thread-safe.
 */
public final class BadNet implements Classifier, AutoCloseable {
    /** How an HDF5 file starts. */
    private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    /** How an ONNX model starts: the protobuf tag of its first field, ir_version, which writers put first. */
    private static final byte ONNX_FIRST_BYTE = 0x08;
    /** Images per forward pass; see {@link #classify}. */
    static final int CHUNK = 64;

    private static final Logger LOG = LoggerFactory.getLogger(BadNet.class);

    private final Architecture architecture;
    private final Path source;
    /** The weights in Keras layout, or {@code null} for a model read from an ONNX or Keras model file. */
    private final KerasWeights weights;
    /** The weights in the engine's layout. */
    private final GraphModel graph;
    private final Map<String, int[]> prunedChannels;
    private final ModelOptions options;
    private final Model model;
    private final GraphBlock block;
    private final ParameterStore store;
    /** The first warning about the pixel values this model was given, or null while there is none. */
    private String inputWarning;

    private BadNet(Architecture architecture, Path source, KerasWeights weights, GraphModel graph,
            Map<String, int[]> prunedChannels, ModelOptions options, Model model, GraphBlock block) {
        this.architecture = architecture;
        this.source = source;
        this.weights = weights;
        this.graph = graph;
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
     * Loads a model file, its format found from its content: an ONNX model, a Keras full-model file
     * (with {@code model_config}), or Keras weights of DeepID (weights-only or full model without
     * {@code model_config}), the default for weights files.
     *
     * @throws ModelFormatException if the file is missing, of none of these formats, or does not hold
     *     a network Fineprune supports (naming the layer)
     * @throws UncheckedIOException if the file cannot be read
     * @throws IllegalArgumentException if the engine or device is not available
     */
    public static BadNet load(Path file, ModelOptions options) {
        InputFiles.requireReadable(file, ModelFormatException::new);
        try {
            byte[] start;
            try (InputStream in = Files.newInputStream(file)) {
                start = in.readNBytes(HDF5_SIGNATURE.length);
            }
            if (startsLikeOnnx(file)) {
                return load(OnnxReader.read(file), file, options);
            }
            if (!Arrays.equals(start, HDF5_SIGNATURE)) {
                throw new ModelFormatException(file + ": not a readable Keras HDF5 weights file or ONNX model");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return KerasReader.hasModelConfig(file) ? load(KerasReader.read(file), file, options)
                : load(file, DeepId.INSTANCE, options);
    }

    /**
     * Loads Keras weights (weights-only or full model) of the architecture in {@code
     * architectureJson}, the JSON of Keras' {@code model.to_json()}.
     *
     * @throws ModelFormatException if a file cannot be read or the weights do not match the
     *     architecture (naming the layer)
     * @throws UncheckedIOException if the architecture file cannot be read
     */
    public static BadNet load(Path weightsFile, Path architectureJson, ModelOptions options) {
        try {
            return load(KerasReader.read(weightsFile, architectureJson), weightsFile, options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean startsLikeOnnx(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == ONNX_FIRST_BYTE;
        }
    }

    private static BadNet load(GraphModel graph, Path file, ModelOptions options) {
        try {
            return create(Architecture.of(graph.graph()), file, null, graph, Map.of(), options);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Loads a Keras weights file (weights-only or full model) of {@code architecture}.
     *
     * @throws ModelFormatException if the file does not hold that architecture's weights
     * @throws IllegalArgumentException if the engine or device is not available
     */
    public static BadNet load(Path weightsFile, Architecture architecture, ModelOptions options) {
        return create(architecture, weightsFile, KerasWeights.read(weightsFile, architecture.weightedLayers()),
                Map.of(), options);
    }

    private static BadNet create(Architecture architecture, Path source, KerasWeights weights,
            Map<String, int[]> pruned, ModelOptions options) {
        Map<String, float[]> engineLayout = new LinkedHashMap<>();
        weights.layers().values().forEach(w -> {
            engineLayout.put(w.spec().name() + "/weight", KerasLayout.toDjl(w));
            engineLayout.put(w.spec().name() + "/bias", w.bias());
        });
        return create(architecture, source, weights, new GraphModel(architecture.graph(), engineLayout), pruned,
                options);
    }

    /**
     * A model of {@code architecture} holding {@code layers} (for example freshly trained), named
     * after the architecture; {@link #save} writes them as Keras {@code save_weights} HDF5.
     *
     * @throws IllegalArgumentException if a layer is missing or has other shapes, or the engine or
     *     device is not available
     */
    public static BadNet fromWeights(Architecture architecture, Collection<LayerWeights> layers,
            ModelOptions options) {
        Path name = Path.of(architecture.name());
        return create(architecture, name, new KerasWeights(name, KerasWeightsWriter.Layout.WEIGHTS_ONLY,
                byLayer(architecture, layers)), Map.of(), options);
    }

    private static BadNet create(Architecture architecture, Path source, KerasWeights weights, GraphModel graph,
            Map<String, int[]> pruned, ModelOptions options) {
        DjlOffline.enforce();
        Engine engine = Engines.get(options.engine());
        Device device = Engines.device(engine, options.device());
        Model model = Model.newInstance(source.getFileName().toString(), device, engine.getEngineName());
        try {
            GraphBlock block = architecture.newBlock();
            model.setBlock(block);
            ImageShape in = architecture.input();
            block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, in.channels(), in.height(), in.width()));
            block.setParameters(graph.weights());
            return new BadNet(architecture, source, weights, graph, pruned, options, model, block);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * A new model, on the same engine and device and with the same pruned channels, holding {@code
     * layers} instead of this model's weights (for example after fine-tuning). {@link #save} writes
     * them in this model's file layout.
     *
     * @throws IllegalArgumentException if a layer is missing or has other shapes
     */
    public BadNet withWeights(Collection<LayerWeights> layers) {
        requireKerasLayout();
        KerasWeights replaced = new KerasWeights(source, weights.layout(), byLayer(architecture, layers));
        return create(architecture, source, replaced, prunedChannels, options);
    }

    /**
     * A new model, on the same engine and device and with the same pruned channels, fine-tuned from
     * this one on {@code images} (raw pixels, scaled as this model scales them) and {@code labels}:
     * {@link Training} with the pruned channels held at zero, on any graph (batch normalisations in
     * training mode). {@link #save} writes it in this model's format.
     *
     * @throws IllegalArgumentException as {@link Training#train(GraphModel, float[], int[], double,
     *     TrainingConfig, Map, StepListener)}
     */
    public BadNet fineTuned(float[] images, int[] labels, TrainingConfig config, StepListener listener) {
        if (weights != null) {
            TrainingRun run = Training.train(architecture, weights.layers().values(), images, labels,
                    options.inputScale(), config, prunedChannels, listener);
            return withWeights(run.weights());
        }
        GraphModel tuned = Training.train(graph, images, labels, options.inputScale(), config, prunedChannels, listener);
        return create(architecture, source, null, tuned, prunedChannels, options);
    }

    /**
     * A new model like this one (engine, device, pruned channels, file format) holding {@code
     * parameters}, every weight of the graph as {@code layer/param} in the engine's layout, for
     * example after a training loop of its own.
     */
    BadNet withParameters(Map<String, float[]> parameters) {
        if (weights == null) {
            return create(architecture, source, null, new GraphModel(architecture.graph(), parameters), prunedChannels,
                    options);
        }
        return withWeights(architecture.weightedLayers().stream().map(spec -> new LayerWeights(spec,
                KerasLayout.toKeras(spec, parameters.get(spec.name() + "/weight")),
                parameters.get(spec.name() + "/bias"))).toList());
    }

    private static Map<String, LayerWeights> byLayer(Architecture architecture, Collection<LayerWeights> layers) {
        Map<String, LayerWeights> byName = new LinkedHashMap<>();
        for (LayerSpec spec : architecture.weightedLayers()) {
            byName.put(spec.name(), layers.stream().filter(l -> l.spec().equals(spec)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no weights for layer " + spec + " of "
                            + architecture.name())));
        }
        return Collections.unmodifiableMap(byName);
    }

    /** The network this model is. */
    public Architecture architecture() {
        return architecture;
    }

    /**
     * The layer graph and a copy of its weights in the engine's layout, pruned channels zero: what a
     * defense that reads weights (not activations) needs, whatever format the model came from.
     */
    public GraphModel graphModel() {
        Map<String, float[]> copy = new LinkedHashMap<>();
        graph.weights().forEach((name, values) -> copy.put(name, values.clone()));
        return new GraphModel(graph.graph(), copy);
    }

    /**
     * The weights in Keras layout, pruned channels zero.
     *
     * @throws ModelFormatException for a model read from an ONNX or Keras model file
     */
    public KerasWeights weights() {
        requireKerasLayout();
        return weights;
    }

    private void requireKerasLayout() {
        if (weights == null) {
            throw new ModelFormatException(source + ": models read from ONNX or Keras model files cannot be"
                    + " fine-tuned yet; their weights are not kept in Keras layout");
        }
    }

    /**
     * A new model, on the same engine and device, in which the given channels of the convolution
     * {@code layer} are pruned (zero kernel slice and bias) on top of what this model already prunes.
     *
     * @throws IllegalArgumentException if {@code layer} is not a convolution or a channel is out of range
     */
    public BadNet pruned(String layer, int[] channels) {
        return pruned(Map.of(layer, channels));
    }

    /**
     * A new model in which the given channels of each convolution are pruned, on top of what this
     * model already prunes.
     *
     * @throws IllegalArgumentException if a layer is not a convolution or a channel is out of range
     */
    public BadNet pruned(Map<String, int[]> channels) {
        Map<String, int[]> all = new TreeMap<>(prunedChannels);
        channels.forEach((layer, pruned) -> {
            architecture.conv(layer);
            all.merge(layer, pruned.clone(), (a, b) -> IntStream.concat(IntStream.of(a), IntStream.of(b)).toArray());
        });
        Map<String, int[]> merged = Collections.unmodifiableMap(all);
        return weights == null ? create(architecture, source, null, graph.pruned(channels), merged, options)
                : create(architecture, source, weights.pruned(channels), merged, options);
    }

    /** The channels pruned in this model by layer, in pruning order; empty for a loaded BadNet. */
    public Map<String, int[]> prunedChannels() {
        Map<String, int[]> copy = new TreeMap<>();
        prunedChannels.forEach((layer, channels) -> copy.put(layer, channels.clone()));
        return copy;
    }

    /**
     * Writes the weights in the format of the file they came from: Keras HDF5 in its layout
     * (weights-only or full model), so that Keras' {@code load_weights} and {@link #load} read them,
     * with the {@code model_config} of a full-model file, or a copy of the ONNX file with the
     * weights replaced.
     *
     * @throws IOException if {@code file} exists (it is never overwritten) or cannot be written
     */
    public void save(Path file) throws IOException {
        if (weights == null) {
            if (startsLikeOnnx(source)) {
                OnnxWriter.write(source, graph, file);
            } else {
                KerasModelWriter.write(source, graph, file);
            }
            return;
        }
        KerasWeightsWriter.write(file, weights.layers().values(), weights.layout());
    }

    /** The file the weights came from. */
    public Path source() {
        return source;
    }

    /** The options the model was loaded with. */
    public ModelOptions options() {
        return options;
    }

    /**
     * The first warning (also logged) that the pixel values given to this model do not fit its input
     * scale, for example values already divided by 255 (see {@link InputRange}), or empty if there was none.
     */
    public Optional<String> inputWarning() {
        return Optional.ofNullable(inputWarning);
    }

    /** The engine's name, for example {@code PyTorch}. */
    public String engineName() {
        return model.getNDManager().getEngine().getEngineName();
    }

    /** The engine's version, for example {@code 2.7.1}. */
    public String engineVersion() {
        return model.getNDManager().getEngine().getVersion();
    }

    /** The threads the engine computes with on the calling thread, or {@code null}: {@link Engines#threads}. */
    public Integer engineThreads() {
        return Engines.threads(model.getNDManager().getEngine());
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
                NDArray logits = block.forward(store, input(sub, batch, start, count), "input", Map.of(), false,
                        observer);
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
    LayerObserver observer(List<? extends ActivationHook> hooks) {
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

    /** The logits (pre-softmax outputs) of each image, {@code size x classes}, row after row. */
    public float[] logits(ImageBatch batch) {
        String output = architecture.graph().output();
        return outputs(batch, Set.of(output)).get(output);
    }

    /**
     * The outputs of the named layers for one batch, each flattened in NCHW (or N, units) order.
     *
     * @param layers layer names, for example {@code pool_3}; the graph's output layer gives the logits
     * @throws IllegalArgumentException if a name is not a layer of the model
     */
    public Map<String, float[]> outputs(ImageBatch batch, Set<String> layers) {
        requireLayers(layers);
        Map<String, float[]> captured = new LinkedHashMap<>();
        try (NDManager sub = model.getNDManager().newSubManager()) {
            block.forward(store, input(sub, batch, 0, batch.size()), "input", Map.of(), false, new LayerObserver() {
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

    private void requireLayers(Set<String> layers) {
        Set<String> unknown = new TreeSet<>(layers);
        unknown.removeAll(architecture.layers());
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("no layer " + unknown + " in " + architecture.name() + "; layers: "
                    + architecture.layers());
        }
    }

    /** The manager that owns the weights; caches live in sub-managers of it. */
    NDManager manager() {
        return model.getNDManager();
    }

    GraphBlock block() {
        return block;
    }

    ParameterStore store() {
        return store;
    }

    /** Images {@code start .. start + count - 1} of {@code batch}, scaled, as an NCHW array. */
    NDArray input(NDManager manager, ImageBatch batch, int start, int count) {
        ImageShape in = architecture.input();
        if (batch.imageValues() != in.size()) {
            throw new IllegalArgumentException("images of " + batch.imageValues() + " values given to " + architecture.name()
                    + ", which takes " + in + " images (" + in.size() + " values)");
        }
        if (inputWarning == null) {
            // One pass over the batch already in memory, negligible next to the forward pass.
            InputRange.check(batch.pixels(), start * in.size(), count * in.size(), options.inputScale())
                    .ifPresent(warning -> {
                        inputWarning = warning;
                        LOG.warn(warning);
                    });
        }
        FloatBuffer pixels = FloatBuffer.wrap(batch.pixels(), start * in.size(), count * in.size());
        NDArray x = manager.create(pixels.slice(), new Shape(count, in.channels(), in.height(), in.width()));
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
        return "BadNet[" + architecture.name() + " " + source + ", " + engineName() + " on " + device() + ", input x/" + divisor + "]";
    }
}
