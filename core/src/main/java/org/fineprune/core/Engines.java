package org.fineprune.core;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Finds a DJL engine and device by name, offline, with messages that list the choices. */
public final class Engines {
    /** The engines Fineprune supports and tests; DJL's others (such as RPC) cannot run a block. */
    public static final List<String> SUPPORTED = List.of("PyTorch", "MXNet");

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
            return Engine.getEngine(match);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new FinepruneException("engine " + match + " failed to start: " + e.getMessage(), e);
        }
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
