package org.fineprune.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Gradients through products, quotients and powers with numbers of {@link GraphScalar} are right
 * even when the garbage collector runs and freed memory is written over between the forward and
 * the backward pass, as it happens during a long search.
 */
class GraphScalarTest {
    @ParameterizedTest
    @ValueSource(strings = {"PyTorch", "MXNet"})
    void gradients_survive_a_garbage_collection_between_forward_and_backward(String engine) {
        assertGradient(engine, (m, x) -> x.mul(GraphScalar.of(m, 3f)), 3f);
        assertGradient(engine, (m, x) -> x.div(GraphScalar.of(m, 4f)), 0.25f);
        // d/dx x^2 at x = 1.5 is 3.
        assertGradient(engine, (m, x) -> x.pow(GraphScalar.of(m, 2.0)), 3f);
    }

    private static void assertGradient(String engine, BiFunction<NDManager, NDArray, NDArray> f, float expected) {
        try (NDManager manager = Engines.get(engine).newBaseManager()) {
            NDArray x = manager.create(new float[] {1.5f, 1.5f, 1.5f, 1.5f});
            x.setRequiresGradient(true);
            try (NDManager step = manager.newSubManager();
                    GradientCollector collector = manager.getEngine().newGradientCollector()) {
                x.tempAttach(step);
                NDArray y = f.apply(step, x).sum();
                overwriteFreedMemory();
                collector.backward(y);
                float[] gradient = x.getGradient().toFloatArray();
                float[] wanted = new float[gradient.length];
                Arrays.fill(wanted, expected);
                assertArrayEquals(wanted, gradient, 1e-6f);
            }
        }
    }

    /** Collects garbage, then fills new direct buffers with NaN, where freed native memory tends to go. */
    private static void overwriteFreedMemory() {
        System.gc();
        List<ByteBuffer> filler = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
            b.putFloat(0, Float.NaN);
            filler.add(b);
        }
    }
}
