package org.fineprune.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;

/**
 * The class probabilities of a {@link BadNet}: the softmax of its logits, computed on its engine.
 * The networks end in logits (a Keras output layer's softmax is applied here), so a defense that
 * needs probabilities, such as STRIP's entropy, takes them from this class.
 */
public final class Softmax {
    private Softmax() {}

    /**
     * The probabilities of each image of {@code batch}, {@code size x classes}, row after row; each
     * row sums to 1. Large batches run in chunks of the BadNet's forward pass.
     *
     * @throws IllegalArgumentException if the images are not of the network's input size
     */
    public static float[] probabilities(BadNet net, ImageBatch batch) {
        int classes = net.architecture().classes();
        float[] probabilities = new float[batch.size() * classes];
        for (int start = 0; start < batch.size(); start += BadNet.CHUNK) {
            int count = Math.min(BadNet.CHUNK, batch.size() - start);
            try (NDManager sub = net.manager().newSubManager()) {
                NDArray logits = net.block().forward(net.store(), net.input(sub, batch, start, count), "input",
                        Map.of(), false, LayerObserver.NONE);
                float[] rows = logits.softmax(1).toFloatArray();
                System.arraycopy(rows, 0, probabilities, start * classes, count * classes);
            }
        }
        return probabilities;
    }
}
