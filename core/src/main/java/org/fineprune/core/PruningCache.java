package org.fineprune.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A set of images run once through a BadNet up to the layers a pruning sweep changes, so that each
 * step of the sweep re-runs only what follows them.
 *
 * <p>The cache holds the output of {@link Architecture#cachePoint} of the earliest pruned convolution
 * (for DeepID's conv_3 and conv_4, pool_3: 1,200 values an image, 55 MB for the lab's 11,547
 * validation images) in engine memory. Building it
 * is one ordinary forward pass, which also yields the BadNet's own classes and feeds any hooks.
 * Instances are not thread-safe; close them to free the engine memory.
 */
public final class PruningCache implements AutoCloseable {
    /** Images per forward pass from the cache; large, since only the small late layers run. */
    private static final int CHUNK = 2048;

    private final BadNet net;
    private final List<String> prunedLayers;
    private final String point;
    private final NDManager manager;
    private final NDArray cached;
    private final int[] labels;
    private final int[] originalClasses;

    private PruningCache(BadNet net, List<String> prunedLayers, String point, NDManager manager, NDArray cached,
            int[] labels, int[] originalClasses) {
        this.net = net;
        this.prunedLayers = prunedLayers;
        this.point = point;
        this.manager = manager;
        this.cached = cached;
        this.labels = labels;
        this.originalClasses = originalClasses;
    }

    /**
     * Runs {@code images} through {@code net} once, keeping the activations that pruning {@code
     * prunedLayer} leaves unchanged, while {@code hooks} see the same pass.
     *
     * @throws IllegalArgumentException if {@code prunedLayer} is not a convolution layer
     */
    public static PruningCache build(BadNet net, String prunedLayer, ImageSource images, int batchSize,
            List<? extends ActivationHook> hooks) throws IOException {
        return build(net, List.of(prunedLayer), images, batchSize, hooks);
    }

    /**
     * Runs {@code images} through {@code net} once, keeping the activations that pruning any of
     * {@code prunedLayers} leaves unchanged, while {@code hooks} see the same pass.
     *
     * @throws IllegalArgumentException if a layer is not a convolution layer or none is given
     */
    public static PruningCache build(BadNet net, List<String> prunedLayers, ImageSource images, int batchSize,
            List<? extends ActivationHook> hooks) throws IOException {
        String point = net.architecture().cachePoint(prunedLayers);
        NDManager manager = net.manager().newSubManager();
        try {
            List<NDArray> parts = new ArrayList<>();
            List<ActivationHook> all = new ArrayList<>(hooks);
            all.add(new ActivationHook() {
                @Override
                public String layer() {
                    return point;
                }

                @Override
                public void accept(Activation activation) {
                    parts.add(activation.keep(manager));
                }
            });
            int[] labels = images.labelled() ? new int[images.size()] : null;
            int[] classes = new int[images.size()];
            int[] seen = {0};
            images.forEachBatch(batchSize, batch -> {
                int[] predicted = net.classify(batch, all);
                System.arraycopy(predicted, 0, classes, seen[0], batch.size());
                if (labels != null) {
                    System.arraycopy(batch.labels(), 0, labels, seen[0], batch.size());
                }
                seen[0] += batch.size();
            });
            NDArray cached = parts.size() == 1 ? parts.get(0) : NDArrays.concat(new NDList(parts));
            return new PruningCache(net, List.copyOf(prunedLayers), point, manager, cached, labels, classes);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Bytes the cache keeps per image: float32 values at its cache point. */
    public long bytesPerImage() {
        return cached.getShape().size() / size() * Float.BYTES;
    }

    /** The number of cached images. */
    public int size() {
        return originalClasses.length;
    }

    /** The labels of the cached images, or {@code null} if they had none. */
    public int[] labels() {
        return labels == null ? null : labels.clone();
    }

    /** The BadNet's classes for the cached images. */
    public int[] originalClasses() {
        return originalClasses.clone();
    }

    /** The layers whose channels can be pruned. */
    public List<String> prunedLayers() {
        return prunedLayers;
    }

    /**
     * The classes the BadNet gives the cached images once {@code pruned} channels of the (only)
     * pruned layer are removed: the same as a model with those kernel slices and biases zeroed.
     *
     * @throws IllegalArgumentException if a channel is out of range
     * @throws IllegalStateException if the cache was built for several layers
     */
    public int[] classify(int[] pruned) {
        if (prunedLayers.size() != 1) {
            throw new IllegalStateException("the cache prunes " + prunedLayers + "; give channels by layer");
        }
        return classify(Map.of(prunedLayers.get(0), pruned));
    }

    /**
     * The classes the BadNet gives the cached images once the given channels of each layer are
     * removed.
     *
     * @throws IllegalArgumentException if a layer is not one of the cache's or a channel is out of range
     */
    public int[] classify(Map<String, int[]> pruned) {
        int[] classes = new int[size()];
        try (NDManager sub = manager.newSubManager()) {
            Map<String, NDArray> masks = ChannelMasks.create(sub, net.architecture(), pruned);
            if (!prunedLayers.containsAll(masks.keySet())) {
                throw new IllegalArgumentException("the cache prunes " + prunedLayers + ", not " + masks.keySet());
            }
            for (int start = 0; start < size(); start += CHUNK) {
                int end = Math.min(size(), start + CHUNK);
                try (NDManager step = sub.newSubManager()) {
                    NDArray part = cached.get(new NDIndex("{}:{}", start, end));
                    part.attach(step);
                    NDArray logits = net.block().forward(net.store(), part, point, masks, false,
                            LayerObserver.NONE);
                    System.arraycopy(BadNet.classes(logits), 0, classes, start, end - start);
                }
            }
        }
        return classes;
    }

    /**
     * The accuracy in percent on the cached images after each step of {@code order}: entry {@code
     * k - 1} with the first {@code k} channels pruned. On clean images this is a pruning curve; on
     * poisoned images labelled with the target, the attack success rate along it.
     *
     * @param listener told after each step
     * @throws IllegalStateException if the cached images have no labels
     * @throws IllegalArgumentException if a step's layer is not one of the cache's or its channel is out of range
     */
    public double[] accuracies(List<LayerChannel> order, StepListener listener) {
        double[] accuracies = new double[order.size()];
        for (int k = 1; k <= order.size(); k++) {
            accuracies[k - 1] = accuracy(order.subList(0, k));
            listener.onStep(k, order.size());
        }
        return accuracies;
    }

    /**
     * The accuracy in percent on the cached images once the {@code pruned} channels are removed.
     *
     * @throws IllegalStateException if the cached images have no labels
     * @throws IllegalArgumentException if a layer is not one of the cache's or a channel is out of range
     */
    public double accuracy(List<LayerChannel> pruned) {
        if (labels == null) {
            throw new IllegalStateException("the cached images have no labels to measure accuracy against");
        }
        return Accuracy.of(classify(LayerChannel.byLayer(pruned)), labels).percent();
    }

    @Override
    public void close() {
        manager.close();
    }
}
