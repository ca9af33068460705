package org.fineprune.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A second thread's collector waits for the first to close instead of failing, as DJL's PyTorch
 * engine refuses two collecting at once in a JVM; both gradients come out right.
 */
class SerialGradientCollectorTest {
    @Test
    void a_second_threads_collector_waits_for_the_first_to_close() throws Exception {
        Engine pytorch = Engines.get("PyTorch");
        ExecutorService other = Executors.newSingleThreadExecutor();
        try (NDManager manager = pytorch.newBaseManager()) {
            NDArray x = manager.create(new float[] {1f, 2f});
            x.setRequiresGradient(true);
            Future<float[]> second;
            try (GradientCollector first = SerialGradientCollector.of(pytorch)) {
                second = other.submit(() -> {
                    Engines.get("PyTorch");
                    try (NDManager own = pytorch.newBaseManager()) {
                        NDArray y = own.create(new float[] {3f});
                        y.setRequiresGradient(true);
                        try (GradientCollector collector = SerialGradientCollector.of(pytorch)) {
                            collector.backward(y.mul(y).sum());
                        }
                        return y.getGradient().toFloatArray();
                    }
                });
                Thread.sleep(300);
                assertFalse(second.isDone(), "the second collector opened while the first was open");
                first.backward(x.mul(x).sum());
            }
            assertArrayEquals(new float[] {2f, 4f}, x.getGradient().toFloatArray());
            assertArrayEquals(new float[] {6f}, second.get(1, TimeUnit.MINUTES));
        } finally {
            other.shutdownNow();
        }
    }
}
