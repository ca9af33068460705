package org.fineprune.core;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Finds a DJL engine and device by name, offline, with messages that list the choices, and readies
 * the calling thread for it. Two engines' starts change state of the thread they run on:
 *
 * <ul>
 *   <li>MXNet's native library sets the OpenMP thread count of the thread that loads it to 1, which
 *       left PyTorch single-threaded there, slower and rounding differently, so that a point's
 *       numbers depended on whether an MXNet point had run before it in the same JVM. MXNet starts
 *       on a thread of its own.
 *   <li>DJL turns PyTorch's autograd off on the thread that starts PyTorch only; on any other thread
 *       (a cluster worker's task thread, say) fine-tuning with pruned channels failed with "a leaf
 *       Variable that requires grad is being used in an in-place operation". It is turned off on
 *       each thread the first time that thread asks for PyTorch.
 * </ul>
 */
public final class Engines {
    /** The engines Fineprune supports and tests; DJL's others (such as RPC) cannot run a block. */
    public static final List<String> SUPPORTED = List.of("PyTorch", "MXNet");

    /** Whether PyTorch's autograd is off on this thread outside gradient collectors, as DJL expects. */
    private static final ThreadLocal<Boolean> PYTORCH_READY = ThreadLocal.withInitial(() -> false);

    private Engines() {}

    /**
     * The engine called {@code name} ({@code PyTorch}, {@code MXNet}); matching ignores case.
     *
     * @throws IllegalArgumentException if no such engine is on the class path
     */
    public static Engine get(String name) {
        DjlOffline.enforce();
        Set<String> available = new TreeSet<>(Engine.getAllEngines());
        available.retainAll(SUPPORTED);
        String match = available.stream().filter(e -> e.equalsIgnoreCase(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown engine '" + name + "'; available: " + available));
        try {
            if (match.equals("MXNet")) {
                return startOnAThreadOfItsOwn(match);
            }
            Engine pytorch = Engine.getEngine(match);
            if (!PYTORCH_READY.get()) {
                JniUtils.setGradMode(false);
                PYTORCH_READY.set(true);
            }
            return pytorch;
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new FinepruneException("engine " + match + " failed to start: " + e.getMessage(), e);
        }
    }

    private static Engine startOnAThreadOfItsOwn(String name) {
        FutureTask<Engine> start = new FutureTask<>(() -> Engine.getEngine(name));
        Thread starter = new Thread(start, "fineprune-" + name + "-start");
        starter.setDaemon(true);
        starter.start();
        try {
            return start.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FinepruneException("interrupted while engine " + name + " started", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw (Error) e.getCause();
        }
    }

    /**
     * The threads {@code engine} computes with on the calling thread: PyTorch's intra-op threads, or
     * {@code null} for MXNet, which does not say. Numbers that training sums round differently with
     * another count.
     */
    public static Integer threads(Engine engine) {
        return engine.getEngineName().equals("PyTorch") ? JniUtils.getNumThreads() : null;
    }

    /**
     * The device called {@code name} for {@code engine}: {@code cpu}, {@code gpu}, or {@code auto} for
     * the first GPU if the engine sees one, else the CPU.
     *
     * @throws IllegalArgumentException if a GPU is asked for and the engine sees none
     */
    public static Device device(Engine engine, String name) {
        int gpus = engine.getGpuCount();
        return switch (name) {
            case "cpu" -> Device.cpu();
            case "gpu" -> {
                if (gpus == 0) {
                    throw new IllegalArgumentException(
                            "device gpu asked for, but engine " + engine.getEngineName() + " sees no GPU");
                }
                yield Device.gpu();
            }
            case "auto" -> gpus > 0 ? Device.gpu() : Device.cpu();
            default -> throw new IllegalArgumentException("device must be cpu, gpu or auto, got '" + name + "'");
        };
    }
}
