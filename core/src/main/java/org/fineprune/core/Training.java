package org.fineprune.core;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.fineprune.core.graph.GraphModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a network of an {@link Architecture} from given weights with softmax cross-entropy on the
 * CPU: a BadNet from fresh weights, or a (pruned) BadNet fine-tuned on clean data.
 *
 * <p>Pruned channels stay pruned: their masks multiply the convolutions' outputs in every forward
 * pass, so the rest of the network learns without them, and multiply their kernel slices and biases
 * after every optimiser step, so they are exactly zero whatever the optimiser does.
 *
 * <p>Repeatable: epoch {@code e} (counted from 1) visits the images in the order of {@code new
 * SplittableRandom(seed + e)}, and the engine's own seed is set too. The same arguments on the same
 * engine and machine give the same weights.
 */
public final class Training {
    private static final Logger LOG = LoggerFactory.getLogger(Training.class);

    private Training() {}

    /**
     * Trains from {@code initial} on {@code images} (raw 0..255, divided by {@code inputScale}) and
     * {@code labels}, keeping the {@code pruned} channels of each convolution at zero.
     *
     * @param listener told after each epoch, as step {@code epoch} of {@code config.epochs()}
     * @throws IllegalArgumentException if the images are not {@code labels.length} images of the
     *     architecture's shape, a label is out of range, or a pruned layer or channel does not exist
     */
    public static TrainingRun train(Architecture architecture, Collection<LayerWeights> initial, float[] images,
            int[] labels, double inputScale, TrainingConfig config, Map<String, int[]> pruned,
            StepListener listener) {
        Map<String, float[]> start = new LinkedHashMap<>();
        for (LayerWeights w : initial) {
            start.put(w.spec().name() + "/weight", KerasLayout.toDjl(w));
            start.put(w.spec().name() + "/bias", w.bias());
        }
        GraphModel zeroed = new GraphModel(architecture.graph(), start).pruned(pruned);
        Trained trained = run(architecture, zeroed.weights(), images, labels, inputScale, config, pruned, listener);
        List<LayerWeights> weights = architecture.weightedLayers().stream().map(spec -> new LayerWeights(spec,
                KerasLayout.toKeras(spec, trained.parameters().get(spec.name() + "/weight")),
                trained.parameters().get(spec.name() + "/bias"))).toList();
        return new TrainingRun(weights, trained.losses(), trained.seconds());
    }

    /**
     * Trains every weight of {@code initial} (any layer graph: batch normalisations learn their scale
     * and shift from batch statistics and update their running statistics) on {@code images} and
     * {@code labels}, with the {@code pruned} channels of each convolution's unit held at zero; the
     * pruned channels of {@code initial} must already be zero ({@link GraphModel#pruned}).
     *
     * @return the trained weights
     * @throws IllegalArgumentException as {@link #train(Architecture, Collection, float[], int[], double,
     *     TrainingConfig, Map, StepListener)}
     */
    public static GraphModel train(GraphModel initial, float[] images, int[] labels, double inputScale,
            TrainingConfig config, Map<String, int[]> pruned, StepListener listener) {
        Trained trained = run(Architecture.of(initial.graph()), initial.weights(), images, labels, inputScale, config,
                pruned, listener);
        return new GraphModel(initial.graph(), trained.parameters());
    }

    /** Trained weights in the engine's layout, with each epoch's mean loss and wall time. */
    private record Trained(Map<String, float[]> parameters, double[] losses, double[] seconds) {}

    private static Trained run(Architecture architecture, Map<String, float[]> start, float[] images,
            int[] labels, double inputScale, TrainingConfig config, Map<String, int[]> pruned,
            StepListener listener) {
        Objects.requireNonNull(config, "config");
        ImageShape shape = architecture.input();
        int n = shape.count(images);
        if (n != labels.length || n == 0) {
            throw new IllegalArgumentException(n + " images but " + labels.length + " labels");
        }
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= architecture.classes()) {
                throw new IllegalArgumentException("label " + labels[i] + " at index " + i + " is outside 0.."
                        + (architecture.classes() - 1));
            }
        }
        Map<String, float[]> keep = new LinkedHashMap<>();
        pruned.forEach((layer, channels) -> keep.put(layer, ChannelMasks.keep(architecture, layer, channels)));

        DjlOffline.enforce();
        Engine engine = Engines.get(config.engine());
        engine.setRandomSeed((int) config.seed());
        GraphBlock block = architecture.newBlock();
        double[] losses = new double[config.epochs()];
        double[] seconds = new double[config.epochs()];
        try (Model model = Model.newInstance(architecture.name(), Device.cpu(), engine.getEngineName());
                Trainer trainer = newTrainer(model, block, config, (n + config.batchSize() - 1) / config.batchSize())) {
            // After newTrainer, which sets the configuration's (engine-random) initialisers.
            start.forEach((name, values) -> setInitializer(block.parameter(name), values));
            trainer.initialize(new Shape(1, shape.channels(), shape.height(), shape.width()));
            NDManager manager = trainer.getManager();
            Map<String, NDArray> masks = new LinkedHashMap<>();
            keep.forEach((layer, k) -> masks.put(layer, manager.create(k, new Shape(1, k.length, 1, 1))));
            block.setMasks(masks);
            int size = shape.size();
            float scale = (float) inputScale;
            float[] x = new float[config.batchSize() * size];
            float[] y = new float[config.batchSize()];
            for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                long began = System.nanoTime();
                int[] order = permutation(n, new SplittableRandom(config.seed() + epoch), n);
                double lossSum = 0;
                int batches = 0;
                for (int from = 0; from < n; from += config.batchSize()) {
                    int count = Math.min(config.batchSize(), n - from);
                    for (int k = 0; k < count; k++) {
                        int i = order[from + k];
                        for (int p = 0; p < size; p++) {
                            x[k * size + p] = images[i * size + p] / scale;
                        }
                        y[k] = labels[i];
                    }
                    try (NDManager sub = manager.newSubManager()) {
                        NDArray input = sub.create(count == config.batchSize() ? x : Arrays.copyOf(x, count * size),
                                new Shape(count, shape.channels(), shape.height(), shape.width()));
                        NDArray target = sub.create(Arrays.copyOf(y, count));
                        try (GradientCollector collector = SerialGradientCollector.of(trainer)) {
                            NDArray logits = trainer.forward(new NDList(input)).singletonOrThrow();
                            NDArray loss = trainer.getLoss().evaluate(new NDList(target), new NDList(logits));
                            collector.backward(loss);
                            lossSum += loss.getFloat();
                        }
                        step(trainer);
                        zeroPruned(block, masks);
                    }
                    batches++;
                }
                losses[epoch - 1] = lossSum / batches;
                seconds[epoch - 1] = (System.nanoTime() - began) / 1e9;
                LOG.info("epoch {}/{}: mean loss {}, {} s", epoch, config.epochs(), losses[epoch - 1],
                        seconds[epoch - 1]);
                listener.onStep(epoch, config.epochs());
            }
            return new Trained(block.parameters(), losses, seconds);
        }
    }

    /**
     * One optimiser step. DJL refuses the first one when the gradients sum to zero, as they do when
     * every unit is dead or the softmax saturates (pixels of the wrong scale, say): no step can
     * change such a net, so that is a fault of the model and its input, told in one line.
     */
    private static void step(Trainer trainer) {
        try {
            trainer.step();
        } catch (IllegalStateException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("Gradient values are all zeros")) {
                throw e;
            }
            throw new FinepruneException("training cannot start: the gradients of the first batch are all zero"
                    + " (dead or saturated units; is the input scale right for this model?)", e);
        }
    }

    private static Trainer newTrainer(Model model, GraphBlock block, TrainingConfig config, int stepsPerEpoch) {
        model.setBlock(block);
        Tracker rate = learningRate(config, stepsPerEpoch);
        float decay = (float) config.weightDecay();
        Optimizer optimizer = config.optimizer().equals("sgd")
                ? Optimizer.sgd().setLearningRateTracker(rate).optMomentum(0.9f).optWeightDecays(decay).build()
                : Optimizer.adam().optLearningRateTracker(rate).optWeightDecays(decay).build();
        return model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(optimizer)
                .optDevices(new Device[] {Device.cpu()}));
    }

    /**
     * The learning rate of {@code config}'s schedule at each optimiser update, counted from 1 as DJL
     * counts them, in epochs of {@code stepsPerEpoch} updates: DJL's cosine tracker over the epochs,
     * read once per epoch as PyTorch's {@code CosineAnnealingLR} is stepped.
     */
    static Tracker learningRate(TrainingConfig config, int stepsPerEpoch) {
        float rate = (float) config.learningRate();
        if (config.schedule().equals("constant")) {
            return Tracker.fixed(rate);
        }
        Tracker cosine = Tracker.cosine().setBaseValue(rate).optFinalValue(0).setMaxUpdates(config.epochs()).build();
        return update -> cosine.getNewValue((update - 1) / stepsPerEpoch);
    }

    /** Multiplies each masked convolution's kernel (out, in, kh, kw) and bias, if it has one, by its mask. */
    private static void zeroPruned(GraphBlock block, Map<String, NDArray> masks) {
        masks.forEach((layer, mask) -> {
            NDArray kernel = block.parameter(layer, "weight").getArray();
            kernel.muli(mask.reshape(-1, 1, 1, 1));
            Parameter bias = block.parameter(layer, "bias");
            if (bias != null) {
                bias.getArray().muli(mask.reshape(-1));
            }
        });
    }

    private static void setInitializer(Parameter parameter, float[] values) {
        parameter.setInitializer((manager, shape, dataType) -> {
            if (shape.size() != values.length) {
                throw new IllegalStateException(parameter.getName() + " has shape " + shape + ", "
                        + values.length + " initial values given");
            }
            return manager.create(values, shape).toType(dataType, false);
        });
    }

    /**
     * The first {@code count} entries of a seeded uniform permutation of {@code [0, size)} (a partial
     * Fisher-Yates shuffle); the rest of the array holds the remaining indices.
     */
    public static int[] permutation(int size, SplittableRandom random, int count) {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        for (int k = 0; k < Math.min(count, size - 1); k++) {
            int j = k + random.nextInt(size - k);
            int swap = order[k];
            order[k] = order[j];
            order[j] = swap;
        }
        return order;
    }
}
