package org.fineprune.attacks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.fineprune.core.ActivationHook;
import org.fineprune.core.Architecture;
import org.fineprune.core.BadNet;
import org.fineprune.core.ChannelMeans;
import org.fineprune.core.ImageBatch;
import org.fineprune.core.KerasModelWriter;
import org.fineprune.core.ModelOptions;
import org.fineprune.core.StepListener;
import org.fineprune.core.Training;
import org.fineprune.core.TrainingConfig;
import org.fineprune.core.graph.ConvUnits;
import org.fineprune.core.graph.GraphModel;
import org.fineprune.core.graph.Layer;
import org.fineprune.core.graph.LayerGraph;

/**
 * The pruning-aware attack of Liu, Dolan-Gavitt and Garg ("Fine-Pruning: Defending Against
 * Backdooring Attacks on Deep Neural Networks", RAID 2018, section 4), which hides a backdoor from
 * pruning defenses: train the network on clean data; prune the channels of its pruning layer ({@link
 * Architecture#pruningLayer}) that are dormant on clean data, the {@value #PRUNED_SHARE} share with
 * the lowest mean activation ({@link ChannelMeans} on the ranking layer); train the pruned network on
 * the poisoned data, so that the backdoor lives in the channels a defender keeps; re-instate the
 * pruned channels with their clean weights and a bias (or, where a batch normalisation follows, a
 * shift) lowered by their largest activation on the clean data plus {@value #MARGIN}, so that they
 * stay dormant on clean data and a pruning defense removes them first, to no effect.
 */
public final class PruningAwareAttack {
    /**
     * The share of the pruning layer's channels pruned, those least active on clean data: a design
     * parameter of the attack in the paper. Large enough that every kept channel serves clean data,
     * so that the backdoor cannot hide in the least active of them: at 0.5 the wide CNN's backdoor
     * went to channels that plain pruning then removed at no cost (docs/results.md).
     */
    public static final double PRUNED_SHARE = 0.8;
    /** How far below zero a re-instated channel's largest clean pre-activation is pushed. */
    public static final float MARGIN = 1f;

    private PruningAwareAttack() {}

    /**
     * The attack's network and the channels it re-instated.
     *
     * @param model the weights after the last step
     * @param layer the convolution whose channels were pruned and re-instated
     * @param reinstated those channels, increasing
     */
    public record Result(GraphModel model, String layer, int[] reinstated) {
        /** Copies the channels. */
        public Result {
            reinstated = reinstated.clone();
        }

        /** The re-instated channels: a copy. */
        @Override
        public int[] reinstated() {
            return reinstated.clone();
        }
    }

    /**
     * Runs the four steps from {@code initial}: {@code config} trains on {@code cleanImages} (raw
     * 0..255, divided by {@code inputScale}) and {@code cleanLabels}, then on {@code poisoned}.
     * {@code listener} is told after each epoch of both trainings, as one run of twice the epochs.
     *
     * @throws IllegalArgumentException if the unit of the pruning layer does not end in a ReLU and a
     *     bias or batch normalisation shift, or as {@link Training#train}
     */
    public static Result train(GraphModel initial, float[] cleanImages, int[] cleanLabels, PoisonedSet poisoned,
            double inputScale, TrainingConfig config, StepListener listener) {
        Architecture network = Architecture.of(initial.graph());
        String layer = network.pruningLayer();
        String lowered = loweredWeight(initial.graph(), layer);
        int epochs = config.epochs();
        GraphModel clean = Training.train(initial, cleanImages, cleanLabels, inputScale, config, Map.of(),
                (done, total) -> listener.onStep(done, 2 * epochs));

        ChannelMeans means = new ChannelMeans(network.rankingLayer(layer));
        observe(clean, cleanImages, inputScale, config.engine(), means);
        int[] dormant = leastActive(means.means(), (int) Math.round(PRUNED_SHARE * means.means().length));
        Map<String, int[]> pruned = Map.of(layer, dormant);
        GraphModel backdoored = Training.train(clean.pruned(pruned), poisoned.images(), poisoned.labels(), inputScale,
                config, pruned, (done, total) -> listener.onStep(epochs + done, 2 * epochs));

        GraphModel restored = restore(backdoored, clean, layer, dormant);
        ChannelMaxima maxima = new ChannelMaxima(new ConvUnits(restored.graph()).unitEnd(layer));
        observe(restored, cleanImages, inputScale, config.engine(), maxima);
        float[] largest = maxima.maxima();
        Map<String, float[]> weights = new LinkedHashMap<>(restored.weights());
        float[] shifted = weights.get(lowered).clone();
        for (int c : dormant) {
            shifted[c] -= Math.max(largest[c], 0f) + MARGIN;
        }
        weights.put(lowered, shifted);
        return new Result(new GraphModel(restored.graph(), weights), layer, dormant);
    }

    /** The {@code count} channels of lowest mean, lowest index first among equals, increasing. */
    static int[] leastActive(double[] means, int count) {
        return IntStream.range(0, means.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(c -> means[c]).thenComparing(c -> c))
                .limit(count).mapToInt(Integer::intValue).sorted().toArray();
    }

    /**
     * The weight whose lowering silences a channel of {@code conv}'s unit: the shift of the batch
     * normalisation that follows it, else its bias.
     */
    private static String loweredWeight(LayerGraph graph, String conv) {
        List<String> next = graph.consumers(conv);
        String bn = next.size() == 1 && graph.layer(next.get(0)) instanceof Layer.BatchNorm ? next.get(0) : null;
        String end = bn == null ? conv : bn;
        List<String> after = graph.consumers(end);
        boolean relu = bn == null && ((Layer.Conv) graph.layer(conv)).activation() == Layer.Function.RELU
                || after.size() == 1 && graph.layer(after.get(0)) instanceof Layer.Activation a
                        && a.function() == Layer.Function.RELU;
        String weight = bn != null ? bn + "/beta" : conv + "/bias";
        if (!relu || !graph.parameters().containsKey(weight)) {
            throw new IllegalArgumentException("the pruning-aware attack needs the unit of '" + conv + "' in "
                    + graph.name() + " to end in a ReLU after a bias or batch normalisation");
        }
        return weight;
    }

    /** {@code backdoored} with the {@code channels} of {@code conv}'s unit given back their weights in {@code clean}. */
    private static GraphModel restore(GraphModel backdoored, GraphModel clean, String conv, int[] channels) {
        LayerGraph graph = backdoored.graph();
        List<String> unitWeights = new ArrayList<>(List.of(conv + "/weight", conv + "/bias"));
        List<String> next = graph.consumers(conv);
        if (next.size() == 1 && graph.layer(next.get(0)) instanceof Layer.BatchNorm) {
            for (String w : List.of("gamma", "beta", "runningMean", "runningVar")) {
                unitWeights.add(next.get(0) + "/" + w);
            }
        }
        int out = graph.parameters().get(conv + "/weight")[0];
        Map<String, float[]> weights = new LinkedHashMap<>(backdoored.weights());
        for (String name : unitWeights) {
            float[] values = weights.get(name);
            if (values == null) {
                continue;
            }
            values = values.clone();
            int slice = values.length / out;
            for (int c : channels) {
                System.arraycopy(clean.weights().get(name), c * slice, values, c * slice, slice);
            }
            weights.put(name, values);
        }
        return new GraphModel(graph, weights);
    }

    /** Runs {@code model} on {@code images} with {@code hook} observing, through a Keras file of its own. */
    static void observe(GraphModel model, float[] images, double inputScale, String engine, ActivationHook hook) {
        try {
            Path dir = Files.createTempDirectory("fineprune-pruning-aware");
            Path file = dir.resolve("model.h5");
            try {
                KerasModelWriter.write(model, file);
                try (BadNet net = BadNet.load(file, new ModelOptions(inputScale, engine, "cpu"))) {
                    net.classify(new ImageBatch(images, null, model.graph().input().count(images)), List.of(hook));
                }
            } finally {
                Files.deleteIfExists(file);
                Files.delete(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
