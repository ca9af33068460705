package org.fineprune.core;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.fineprune.core.graph.LayerGraph;

/**
 * Attention distillation: trains a student network on labelled images with softmax cross-entropy
 * plus, at chosen convolutions, {@code beta} times the {@link AttentionMaps} loss between its
 * attention maps and those of a fixed teacher (Li et al., ICLR 2021). The teacher runs in inference
 * mode and receives no gradient.
 *
 * <p>Everything else is {@link Training}'s fine-tuning: the same optimiser, the same seeded order of
 * mini-batches and the same pruned channels held at zero, so that with every beta zero the student
 * is exactly the BadNet fine-tuned with the same configuration.
 */
public final class Distillation {
    private Distillation() {}

    /**
     * A copy of {@code student} (same engine, pruned channels and file format) trained on {@code
     * clean}, its attention at each layer of {@code betas} drawn towards {@code teacher}'s; neither
     * network is changed.
     *
     * @param betas the weight of the attention loss by convolution name, in forward order or not
     * @param p the power of the attention maps
     * @param listener told after each epoch
     * @throws IllegalArgumentException if {@code clean} has no labels, its images do not fit the
     *     network, a label is not a class, a layer is no convolution of both networks, or a beta is
     *     negative
     * @throws FinepruneException if the loss of a batch is not finite (the learning rate is too large
     *     for the network and its input scale)
     */
    public static BadNet distil(BadNet student, BadNet teacher, ImageBatch clean, Map<String, Double> betas,
            double p, TrainingConfig config, StepListener listener) {
        Architecture architecture = student.architecture();
        List<String> layers = List.copyOf(betas.keySet());
        AttentionMaps.requireConvs(architecture, layers);
        AttentionMaps.requireConvs(teacher.architecture(), layers);
        betas.forEach((layer, beta) -> {
            if (!(beta >= 0) || Double.isInfinite(beta)) {
                throw new IllegalArgumentException("the beta of " + layer + " must be at least 0 and finite, got "
                        + beta);
            }
        });
        requireLabelled(clean, architecture);

        DjlOffline.enforce();
        Engine engine = Engines.get(config.engine());
        engine.setRandomSeed((int) config.seed());
        Observed block = new Observed(architecture.newBlock());
        try (Model model = Model.newInstance(architecture.name(), Device.cpu(), engine.getEngineName());
                Trainer trainer = newTrainer(model, block, config)) {
            // After newTrainer, which sets the configuration's (engine-random) initialisers.
            student.block().parameters().forEach((name, values) -> setInitializer(block.graph.parameter(name),
                    values));
            ImageShape shape = architecture.input();
            trainer.initialize(new Shape(1, shape.channels(), shape.height(), shape.width()));
            NDManager manager = trainer.getManager();
            block.masks = ChannelMasks.create(manager, architecture, student.prunedChannels());
            for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                int[] order = Training.permutation(clean.size(), new SplittableRandom(config.seed() + epoch),
                        clean.size());
                for (int from = 0; from < clean.size(); from += config.batchSize()) {
                    int count = Math.min(config.batchSize(), clean.size() - from);
                    try (NDManager sub = manager.newSubManager()) {
                        float loss = step(trainer, block, teacher, batch(sub, clean, order, from, count, student),
                                betas, p);
                        if (!Float.isFinite(loss)) {
                            throw new FinepruneException("distillation diverged: the loss is " + loss + " in epoch "
                                    + epoch + " at learning rate " + config.learningRate()
                                    + " (or the teacher had diverged); try a smaller learning rate");
                        }
                        zeroPruned(block.graph, block.masks);
                    }
                }
                listener.onStep(epoch, config.epochs());
            }
            return student.withParameters(block.graph.parameters());
        }
    }

    /** One optimiser step on the images and labels of {@code batch}; returns the batch's loss. */
    private static float step(Trainer trainer, Observed block, BadNet teacher, NDList batch, Map<String, Double> betas,
            double p) {
        List<String> layers = new ArrayList<>(betas.keySet());
        Map<String, NDArray> teacherMaps = AttentionMaps.maps(teacher, batch.get(0), layers, p);
        Map<String, NDArray> studentMaps = new HashMap<>();
        block.observer = AttentionMaps.observer(layers, p, studentMaps);
        float value;
        try (GradientCollector collector = SerialGradientCollector.of(trainer)) {
            NDArray logits = trainer.forward(new NDList(batch.get(0))).singletonOrThrow();
            NDArray loss = trainer.getLoss().evaluate(new NDList(batch.get(1)), new NDList(logits));
            for (String layer : layers) {
                loss = loss.add(AttentionMaps.loss(studentMaps.get(layer), teacherMaps.get(layer))
                        .mul(GraphScalar.of(loss.getManager(), betas.get(layer).floatValue())));
            }
            collector.backward(loss);
            value = loss.getFloat();
        } finally {
            block.observer = LayerObserver.NONE;
        }
        trainer.step();
        return value;
    }

    /** Images {@code order[from .. from + count - 1]}, scaled as {@code net} scales them, and their labels. */
    private static NDList batch(NDManager manager, ImageBatch clean, int[] order, int from, int count, BadNet net) {
        ImageShape shape = net.architecture().input();
        int size = shape.size();
        float scale = (float) net.options().inputScale();
        float[] x = new float[count * size];
        float[] y = new float[count];
        for (int k = 0; k < count; k++) {
            int i = order[from + k];
            for (int v = 0; v < size; v++) {
                x[k * size + v] = clean.pixels()[i * size + v] / scale;
            }
            y[k] = clean.labels()[i];
        }
        return new NDList(manager.create(x, new Shape(count, shape.channels(), shape.height(), shape.width())),
                manager.create(y));
    }

    private static void requireLabelled(ImageBatch clean, Architecture architecture) {
        if (!clean.labelled() || clean.size() == 0) {
            throw new IllegalArgumentException("distillation needs labelled images, got " + clean.size()
                    + (clean.labelled() ? "" : " without labels"));
        }
        if (clean.imageValues() != architecture.input().size()) {
            throw new IllegalArgumentException("images of " + clean.imageValues() + " values, but "
                    + architecture.name() + " takes " + architecture.input() + " images");
        }
        for (int i = 0; i < clean.size(); i++) {
            if (clean.labels()[i] < 0 || clean.labels()[i] >= architecture.classes()) {
                throw new IllegalArgumentException("label " + clean.labels()[i] + " at index " + i
                        + " is outside 0.." + (architecture.classes() - 1));
            }
        }
    }

    /** The optimiser of {@link Training}: SGD with momentum 0.9 or Adam, at a fixed rate. */
    private static Trainer newTrainer(Model model, Observed block, TrainingConfig config) {
        model.setBlock(block);
        Tracker rate = Tracker.fixed((float) config.learningRate());
        Optimizer optimizer = config.optimizer().equals("sgd")
                ? Optimizer.sgd().setLearningRateTracker(rate).optMomentum(0.9f).build()
                : Optimizer.adam().optLearningRateTracker(rate).build();
        return model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(optimizer)
                .optDevices(new Device[] {Device.cpu()}));
    }

    /** Multiplies each masked convolution's kernel and bias by its mask, as {@link Training} does. */
    private static void zeroPruned(GraphBlock graph, Map<String, NDArray> masks) {
        masks.forEach((layer, mask) -> {
            graph.parameter(layer, "weight").getArray().muli(mask.reshape(-1, 1, 1, 1));
            Parameter bias = graph.parameter(layer, "bias");
            if (bias != null) {
                bias.getArray().muli(mask.reshape(-1));
            }
        });
    }

    private static void setInitializer(Parameter parameter, float[] values) {
        parameter.setInitializer((manager, shape, dataType) -> manager.create(values, shape).toType(dataType, false));
    }

    /**
     * A {@link GraphBlock} whose training forward pass shows its layers' outputs to an observer, so
     * that a loss can be computed on them with their gradients.
     */
    private static final class Observed extends AbstractBlock {
        private final GraphBlock graph;
        private Map<String, NDArray> masks = Map.of();
        private LayerObserver observer = LayerObserver.NONE;

        Observed(GraphBlock graph) {
            this.graph = addChildBlock("graph", graph);
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                PairList<String, Object> params) {
            return new NDList(graph.forward(store, inputs.singletonOrThrow(), LayerGraph.INPUT, masks, training,
                    observer));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return graph.getOutputShapes(inputShapes);
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            graph.initialize(manager, dataType, inputShapes);
        }
    }
}
