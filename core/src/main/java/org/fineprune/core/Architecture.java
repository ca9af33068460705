package org.fineprune.core;

import java.util.Collection;
import java.util.List;

/**
 * A network Fineprune can load, run, prune and train: its input, classes and layers, named as in
 * Keras. {@link DeepId} (the lab3 face recogniser) and {@link SmallCnn} (the project's
 * Fashion-MNIST BadNet) are the two there are.
 *
 * <p>Pruning channel {@code c} of convolution {@code L} means its output channel {@code c} is zero
 * for every input. {@link #cachePoint} names the earliest layer whose output pruning {@code L}
 * leaves unchanged, so that a pruning sweep can run the network once up to there.
 */
public abstract class Architecture {
    private final String name;
    private final ImageShape input;
    private final int classes;
    private final List<String> layers;
    private final List<LayerSpec> weightedLayers;
    private final List<String> convLayers;
    private final String pruningLayer;

    Architecture(String name, ImageShape input, int classes, List<String> layers, List<LayerSpec> weightedLayers,
            List<String> convLayers, String pruningLayer) {
        this.name = name;
        this.input = input;
        this.classes = classes;
        this.layers = List.copyOf(layers);
        this.weightedLayers = List.copyOf(weightedLayers);
        this.convLayers = List.copyOf(convLayers);
        this.pruningLayer = pruningLayer;
    }

    /** A short name for messages and records, for example {@code DeepID}. */
    public final String name() {
        return name;
    }

    /** The shape of one input image. */
    public final ImageShape input() {
        return input;
    }

    /** The number of classes; a GoodNet answers this number for a flagged input. */
    public final int classes() {
        return classes;
    }

    /** Every layer whose output can be observed, in forward order ({@code input} first, {@code output} last). */
    public final List<String> layers() {
        return layers;
    }

    /** The layers that carry weights, in forward order. */
    public final List<LayerSpec> weightedLayers() {
        return weightedLayers;
    }

    /** The convolution layers, whose channels can be pruned, in forward order. */
    public final List<String> convLayers() {
        return convLayers;
    }

    /**
     * The convolution Fine-Pruning prunes by default: the last one before the classifier layers
     * (DeepID's conv_3, as the lab prunes; conv_4 sits in a side branch).
     */
    public final String pruningLayer() {
        return pruningLayer;
    }

    /**
     * The layer whose mean activation ranks the channels of convolution {@code conv}: the pool that
     * follows it, or the layer itself where no pool follows.
     */
    public abstract String rankingLayer(String conv);

    /** The output of which layer the cache of a sweep over {@code conv} keeps; see the class comment. */
    public abstract String cachePoint(String conv);

    /** A new DJL block of this network with uninitialised parameters. */
    abstract NetworkBlock newBlock();


    /**
     * The cache point for pruning all of {@code convs} at once: the earliest of their cache points.
     *
     * @throws IllegalArgumentException if a name is not a convolution layer or none is given
     */
    public String cachePoint(Collection<String> convs) {
        if (convs.isEmpty()) {
            throw new IllegalArgumentException("no layer to prune given");
        }
        return convs.stream().map(this::cachePoint).min((a, b) ->
                Integer.compare(layers().indexOf(a), layers().indexOf(b))).orElseThrow();
    }

    /**
     * The convolution layer called {@code name}.
     *
     * @throws IllegalArgumentException if there is no such layer or it is not a convolution
     */
    public LayerSpec conv(String name) {
        if (!convLayers().contains(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a convolution layer of " + name()
                    + "; conv layers: " + convLayers());
        }
        return layer(name);
    }

    /** The weighted layer called {@code name}, or an exception listing the layers there are. */
    public LayerSpec layer(String name) {
        return weightedLayers().stream()
                .filter(l -> l.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no weighted layer '" + name + "' in " + name()
                        + "; layers: " + weightedLayers().stream().map(LayerSpec::name).toList()));
    }

    @Override
    public String toString() {
        return name();
    }
}
