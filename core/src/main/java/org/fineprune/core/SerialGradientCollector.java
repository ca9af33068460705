package org.fineprune.core;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A gradient collector that holds a JVM-wide lock while it is open. DJL's PyTorch engine lets one
 * gradient collector collect at a time in a JVM (a second one throws "A PtGradientCollector is
 * already collecting"), so two groups of points that trained at once on a worker ({@code worker
 * --tasks 2}) failed. Every collector Fineprune opens comes from here and waits its turn instead; the
 * rest of the work (scoring, pruning passes) still runs side by side.
 */
public final class SerialGradientCollector implements GradientCollector {
    private static final ReentrantLock COLLECTING = new ReentrantLock();

    private final GradientCollector collector;

    private SerialGradientCollector(Supplier<GradientCollector> open) {
        COLLECTING.lock();
        try {
            collector = open.get();
        } catch (RuntimeException | Error e) {
            COLLECTING.unlock();
            throw e;
        }
    }

    /** A collector of {@code engine}, once no other thread's collector is open. */
    public static GradientCollector of(Engine engine) {
        return new SerialGradientCollector(engine::newGradientCollector);
    }

    /** A collector of {@code trainer}, once no other thread's collector is open. */
    public static GradientCollector of(Trainer trainer) {
        return new SerialGradientCollector(trainer::newGradientCollector);
    }

    @Override
    public void backward(NDArray target) {
        collector.backward(target);
    }

    @Override
    public void zeroGradients() {
        collector.zeroGradients();
    }

    @Override
    public void close() {
        try {
            collector.close();
        } finally {
            COLLECTING.unlock();
        }
    }
}
