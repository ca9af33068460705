package org.fineprune.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A set of images run once through a BadNet up to the layer a pruning sweep changes, so that each
 * step of the sweep re-runs only what follows that layer.
 *
 * <p>The cache holds the output of the pruned convolution's pool (pool_3 for conv_3 and conv_4:
 * 1,200 values an image, 55 MB for the lab's 11,547 validation images) in engine memory. Building it
 * is one ordinary forward pass, which also yields the BadNet's own classes and feeds any hooks.
 * Instances are not thread-safe; close them to free the engine memory.
 */
public final class PruningCache implements AutoCloseable {
    /** Images per forward pass from the cache; large, since only the small late layers run. */
    private static final int CHUNK = 2048;

    private final BadNet net;
    private final String prunedLayer;
    private final NDManager manager;
    private final NDArray cached;
    private final int[] labels;
    private final int[] originalClasses;
    private final int channels;

    private PruningCache(BadNet net, String prunedLayer, NDManager manager, NDArray cached, int[] labels,
            int[] originalClasses) {
        this.net = net;
        this.prunedLayer = prunedLayer;
        this.manager = manager;
        this.cached = cached;
        this.labels = labels;
        this.originalClasses = originalClasses;
        this.channels = DeepId.layer(prunedLayer).outputs();
    }

    /**
     * Runs {@code images} through {@code net} once, keeping the activations that pruning {@code
     * prunedLayer} leaves unchanged, while {@code hooks} see the same pass.
     *
     * @throws IllegalArgumentException if {@code prunedLayer} is not a convolution layer
     */
    public static PruningCache build(BadNet net, String prunedLayer, ImageSource images, int batchSize,
            List<? extends ActivationHook> hooks) throws IOException {
        String point = DeepIdBlock.cachePoint(prunedLayer);
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
            return new PruningCache(net, prunedLayer, manager, cached, labels, classes);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Bytes the cache keeps per image when {@code prunedLayer} is pruned: float32 values at its cache point. */
    public static long bytesPerImage(String prunedLayer) {
        long values = switch (DeepIdBlock.cachePoint(prunedLayer)) {
            case "pool_1" -> 20L * 26 * 22;
            case "pool_2" -> 40L * 12 * 10;
            default -> 60L * 5 * 4;
        };
        return values * Float.BYTES;
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

    /** The layer whose channels are pruned. */
    public String prunedLayer() {
        return prunedLayer;
    }

    /**
     * The classes the BadNet gives the cached images once {@code pruned} channels of the pruned layer
     * are removed: the same as a model with those kernel slices and biases zeroed.
     *
     * @throws IllegalArgumentException if a channel is out of range
     */
    public int[] classify(int[] pruned) {
        float[] keep = new float[channels];
        java.util.Arrays.fill(keep, 1f);
        for (int c : pruned) {
            if (c < 0 || c >= channels) {
                throw new IllegalArgumentException("channel " + c + " of '" + prunedLayer + "' is outside [0, "
                        + channels + ")");
            }
            keep[c] = 0f;
        }
        int[] classes = new int[size()];
        try (NDManager sub = manager.newSubManager()) {
            NDArray mask = sub.create(keep, new Shape(1, channels, 1, 1));
            for (int start = 0; start < size(); start += CHUNK) {
                int end = Math.min(size(), start + CHUNK);
                try (NDManager step = sub.newSubManager()) {
                    NDArray part = cached.get(new NDIndex("{}:{}", start, end));
                    part.attach(step);
                    NDArray logits = net.block().resume(net.store(), prunedLayer, part, mask);
                    System.arraycopy(BadNet.classes(logits), 0, classes, start, end - start);
                }
            }
        }
        return classes;
    }

    @Override
    public void close() {
        manager.close();
    }
}
