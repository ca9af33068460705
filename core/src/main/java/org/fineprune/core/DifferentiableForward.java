package org.fineprune.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.List;
import java.util.Map;
import org.fineprune.core.graph.LayerGraph;

/**
 * A forward pass of a {@link BadNet} through which gradients flow back to its input, for a defense
 * that optimises something stamped on the images (Neural Cleanse's mask and pattern) while the
 * weights stay fixed. The BadNet's weights take no gradient during {@link #run}, so that a backward
 * pass computes only what the caller asked for.
 *
 * <p>Every array is made in a sub-manager of the BadNet's that is closed when {@link #run} returns:
 * only the Java values the work returns leave it.
 */
public final class DifferentiableForward {
    private DifferentiableForward() {}

    /** The logits of a batch of images already divided by the model's input scale. */
    @FunctionalInterface
    public interface Logits {
        /** {@code scaled} is (N, C, H, W); the result is (N, classes), recorded for autograd. */
        NDArray of(NDArray scaled);
    }

    /** Work done with a differentiable forward pass. */
    @FunctionalInterface
    public interface Work<T> {
        /**
         * Does the work with arrays of {@code manager} (on the BadNet's engine and device).
         *
         * @return Java values only: the manager is closed afterwards
         */
        T apply(NDManager manager, Logits logits);
    }

    /**
     * Runs {@code work} with a forward pass of {@code net} in inference mode (batch normalisation
     * with its running statistics, pruned channels as the weights hold them).
     */
    public static <T> T run(BadNet net, Work<T> work) {
        List<Parameter> learning = net.block().getParameters().stream().map(Pair::getValue)
                .filter(Parameter::requiresGradient).toList();
        learning.forEach(p -> p.freeze(true));
        try (NDManager sub = net.manager().newSubManager()) {
            return work.apply(sub, scaled -> net.block().forward(net.store(), scaled, LayerGraph.INPUT, Map.of(), false,
                    LayerObserver.NONE));
        } finally {
            learning.forEach(p -> p.freeze(false));
        }
    }
}
