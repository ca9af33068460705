package org.fineprune.defenses.pruning;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.fineprune.core.Accuracy;
import org.fineprune.core.BadNet;
import org.fineprune.core.ChannelMeans;
import org.fineprune.core.Evaluation;
import org.fineprune.core.ImageSource;
import org.fineprune.core.LayerChannel;
import org.fineprune.core.PruningCache;
import org.fineprune.core.StepListener;

/**
 * The pruning defense of Fine-Pruning (Liu, Dolan-Gavitt and Garg, RAID 2018), as the CSAW-HackML
 * lab applies it: rank a convolution's channels by their mean activation on clean validation data,
 * then prune them one at a time, least active first, recording validation accuracy after each step.
 *
 * <p>Backdoor neurons tend to stay dormant on clean inputs, so they are pruned early while clean
 * accuracy holds. Only the validation set is looked at; the curve then picks one model per
 * accuracy-drop threshold ({@link PruningCurve#select}).
 *
 * <p>The sweep is {@link MultiLayerPruning} of the one layer: it runs the network once up to the
 * pruned layer ({@link PruningCache}) and re-runs only the layers after it at each step; {@link
 * PruningConfig#fullForward()} re-runs the whole pruned network instead, which gives the same curve
 * far more slowly.
 */
public final class MeanActivationPruning {
    private final PruningConfig config;

    /** A sweep with the given settings. */
    public MeanActivationPruning(PruningConfig config) {
        this.config = config;
    }

    /** The settings. */
    public PruningConfig config() {
        return config;
    }

    /**
     * Ranks and prunes every channel of the configured layer of {@code net}, measuring accuracy on
     * {@code valid}.
     *
     * @throws IllegalArgumentException if {@code valid} has no labels
     * @throws IOException if the validation file cannot be read
     */
    public PruningCurve sweep(BadNet net, ImageSource valid, StepListener listener) throws IOException {
        return sweep(net, valid, valid, listener);
    }

    /**
     * Ranks the configured layer's channels of {@code net} on {@code rank} and prunes them, measuring
     * accuracy on {@code valid}: a stopping rule then chooses on images the ranking did not see,
     * where the two differ.
     *
     * @throws IllegalArgumentException if {@code valid} has no labels
     * @throws IOException if the images cannot be read
     */
    public PruningCurve sweep(BadNet net, ImageSource rank, ImageSource valid, StepListener listener)
            throws IOException {
        if (!valid.labelled()) {
            throw new IllegalArgumentException(valid.name() + ": validation images need labels to measure accuracy");
        }
        PruningConfig config = this.config.resolve(net.architecture());
        return config.fullForward() ? sweepFull(config, net, rank, valid, listener)
                : sweepCached(config, net, rank, valid, listener);
    }

    /** {@link MultiLayerPruning} of the one layer, whose global order is {@link PruningCurve#rank}. */
    private static PruningCurve sweepCached(PruningConfig config, BadNet net, ImageSource rank, ImageSource valid,
            StepListener listener) throws IOException {
        MultiLayerConfig one = new MultiLayerConfig(List.of(config.layer()), Map.of(), config.drops(), config.rule(),
                config.batchSize());
        MultiLayerCurve curve = new MultiLayerPruning(one).sweep(net, rank, valid,
                Map.of(config.layer(), config.rankingLayer()), listener);
        int[] order = curve.order().stream().mapToInt(LayerChannel::channel).toArray();
        return new PruningCurve(config.layer(), config.rankingLayer(), curve.means().get(config.layer()), order,
                curve.baselineAccuracy(), curve.accuracies());
    }

    private static PruningCurve sweepFull(PruningConfig config, BadNet net, ImageSource rank, ImageSource valid,
            StepListener listener) throws IOException {
        ChannelMeans means = new ChannelMeans(config.rankingLayer());
        if (rank != valid) {
            rank.forEachBatch(config.batchSize(), batch -> net.classify(batch, List.of(means)));
        }
        List<ChannelMeans> hooks = rank == valid ? List.of(means) : List.of();
        long[] hits = {0};
        valid.forEachBatch(config.batchSize(), batch -> {
            hits[0] += Accuracy.of(net.classify(batch, hooks), batch.labels()).hits();
        });
        double baseline = new Accuracy(hits[0], valid.size()).percent();
        int[] order = PruningCurve.rank(means.means());
        double[] accuracies = new double[order.length];
        for (int k = 1; k <= order.length; k++) {
            try (BadNet pruned = net.pruned(config.layer(), Arrays.copyOf(order, k))) {
                accuracies[k - 1] = Evaluation.accuracy(pruned, valid, config.batchSize()).percent();
            }
            listener.onStep(k, order.length);
        }
        return new PruningCurve(config.layer(), config.rankingLayer(), means.means(), order, baseline, accuracies);
    }
}
