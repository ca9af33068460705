package org.fineprune.defenses.pruning;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fineprune.core.Accuracy;
import org.fineprune.core.ActivationHook;
import org.fineprune.core.Architecture;
import org.fineprune.core.BadNet;
import org.fineprune.core.ChannelMeans;
import org.fineprune.core.ImageSource;
import org.fineprune.core.LayerChannel;
import org.fineprune.core.PruningCache;
import org.fineprune.core.StepListener;

/**
 * Fine-Pruning's pruning over several convolutions: rank the channels of all of them by mean
 * activation on clean validation data ({@link MultiLayerConfig} says how layers are put on one
 * scale), prune them one at a time, least active first, and record validation accuracy after each
 * step. The network runs once up to the earliest pruned layer ({@link PruningCache}). Layers are
 * taken in network order, whatever order the configuration lists them in.
 */
public final class MultiLayerPruning {
    private final MultiLayerConfig config;

    /** A sweep with the given settings. */
    public MultiLayerPruning(MultiLayerConfig config) {
        this.config = config;
    }

    /** The settings. */
    public MultiLayerConfig config() {
        return config;
    }

    /**
     * Ranks and prunes the configured layers of {@code net}, measuring accuracy on {@code valid}.
     *
     * @throws IllegalArgumentException if a layer is not a convolution of the net or {@code valid} has no labels
     * @throws IOException if the validation images cannot be read
     */
    public MultiLayerCurve sweep(BadNet net, ImageSource valid, StepListener listener) throws IOException {
        return sweep(net, valid, valid, listener);
    }

    /**
     * Ranks the configured layers' channels on {@code rank} and prunes them, measuring accuracy on
     * {@code valid}: a stopping rule then chooses on images the ranking did not see, where the two
     * differ.
     *
     * @throws IllegalArgumentException if a layer is not a convolution of the net or {@code valid} has no labels
     * @throws IOException if the images cannot be read
     */
    public MultiLayerCurve sweep(BadNet net, ImageSource rank, ImageSource valid, StepListener listener)
            throws IOException {
        Architecture architecture = net.architecture();
        Map<String, String> rankingLayers = new LinkedHashMap<>();
        for (String layer : config.layers()) {
            rankingLayers.put(layer, architecture.rankingLayer(layer));
        }
        return sweep(net, rank, valid, rankingLayers, listener);
    }

    /**
     * As {@link #sweep(BadNet, ImageSource, ImageSource, StepListener)}, each layer's channels ranked
     * by the mean activation of the layer {@code rankingLayers} gives for it.
     */
    MultiLayerCurve sweep(BadNet net, ImageSource rank, ImageSource valid, Map<String, String> rankingLayers,
            StepListener listener) throws IOException {
        if (!valid.labelled()) {
            throw new IllegalArgumentException(valid.name() + ": validation images need labels to measure accuracy");
        }
        Architecture architecture = net.architecture();
        config.layers().forEach(architecture::conv);
        // In network order, not as given: ties go to the earlier layer, and a fractions map such as
        // Map.of(...) iterates in an order that changes from one JVM run to the next.
        List<String> layers = architecture.convLayers().stream().filter(config.layers()::contains).toList();
        Map<String, ChannelMeans> hooks = new LinkedHashMap<>();
        for (String layer : layers) {
            hooks.put(layer, new ChannelMeans(rankingLayers.get(layer)));
        }
        List<ActivationHook> ranking = List.copyOf(hooks.values());
        if (rank != valid) {
            rank.forEachBatch(config.batchSize(), batch -> net.classify(batch, ranking));
        }
        try (PruningCache cache = PruningCache.build(net, layers, valid, config.batchSize(),
                rank == valid ? ranking : List.of())) {
            Map<String, double[]> means = new LinkedHashMap<>();
            hooks.forEach((layer, hook) -> means.put(layer, hook.means()));
            List<LayerChannel> order = config.isGlobal() ? globalOrder(means) : fractionOrder(means, config.fractions());
            double[] accuracies = cache.accuracies(order, listener);
            double baseline = Accuracy.of(cache.originalClasses(), cache.labels()).percent();
            return new MultiLayerCurve(means, order, baseline, accuracies);
        }
    }

    /**
     * Every channel by its mean divided by the mean over its layer (0 for a layer that is silent
     * throughout), ascending; ties by layer order, then channel index. A single layer is ranked by its
     * plain means ({@link PruningCurve#rank}): dividing can round two different means to one score.
     */
    static List<LayerChannel> globalOrder(Map<String, double[]> means) {
        if (means.size() == 1) {
            Map.Entry<String, double[]> only = means.entrySet().iterator().next();
            return Arrays.stream(PruningCurve.rank(only.getValue()))
                    .mapToObj(c -> new LayerChannel(only.getKey(), c)).toList();
        }
        record Scored(LayerChannel channel, double score, int layerIndex) {}
        List<Scored> all = new ArrayList<>();
        int layerIndex = 0;
        for (Map.Entry<String, double[]> e : means.entrySet()) {
            double[] m = e.getValue();
            double layerMean = Arrays.stream(m).average().orElse(0);
            for (int c = 0; c < m.length; c++) {
                all.add(new Scored(new LayerChannel(e.getKey(), c), layerMean == 0 ? 0 : m[c] / layerMean, layerIndex));
            }
            layerIndex++;
        }
        all.sort(Comparator.comparingDouble(Scored::score).thenComparingInt(Scored::layerIndex)
                .thenComparingInt(s -> s.channel().channel()));
        return all.stream().map(Scored::channel).toList();
    }

    /**
     * Each layer's channels by ascending mean, up to {@code floor(fraction * channels)} of them,
     * interleaved: the next step comes from the layer that is furthest from its share (ties: the
     * earlier layer), so that all layers reach their shares at the last step.
     */
    static List<LayerChannel> fractionOrder(Map<String, double[]> means, Map<String, Double> fractions) {
        List<String> layers = new ArrayList<>(means.keySet());
        Map<String, int[]> ranked = new LinkedHashMap<>();
        Map<String, Integer> quota = new LinkedHashMap<>();
        Map<String, Integer> taken = new LinkedHashMap<>();
        for (String layer : layers) {
            ranked.put(layer, PruningCurve.rank(means.get(layer)));
            quota.put(layer, (int) Math.floor(fractions.get(layer) * means.get(layer).length + 1e-9));
            taken.put(layer, 0);
        }
        List<LayerChannel> order = new ArrayList<>();
        while (true) {
            String next = null;
            double best = Double.POSITIVE_INFINITY;
            for (String layer : layers) {
                int q = quota.get(layer);
                int t = taken.get(layer);
                if (t < q && (t + 1.0) / q < best - 1e-12) {
                    best = (t + 1.0) / q;
                    next = layer;
                }
            }
            if (next == null) {
                return order;
            }
            order.add(new LayerChannel(next, ranked.get(next)[taken.get(next)]));
            taken.merge(next, 1, Integer::sum);
        }
    }
}
