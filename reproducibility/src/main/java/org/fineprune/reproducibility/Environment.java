package org.fineprune.reproducibility;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a run ran on, for the {@code environment} of its records: Java, the operating system, the
 * processor, the Fineprune version and the commit it was built from. The caller adds what only it
 * knows (engine, device). The processor matters: PyTorch's CPU kernels round differently on
 * different instruction sets, so a BadNet trained with the same seed on an AMD EPYC and on an Intel
 * Xeon differs in its last digits.
 */
public final class Environment {
    /** Where Linux names the processor. */
    static final Path CPU_INFO = Path.of("/proc/cpuinfo");

    /** The version reported when Fineprune runs from class folders rather than its jars. */
    public static final String DEVELOPMENT_VERSION = "dev";

    private Environment() {}

    /**
     * The description of this run: keys {@code fineprune} (the jar's Implementation-Version, or
     * {@value #DEVELOPMENT_VERSION}), {@code git_commit} and {@code git_dirty} (the commit Fineprune
     * was built from and whether the build had uncommitted changes; {@code null} when unknown),
     * {@code cpu} (the processor's model name, {@code null} where the system does not say), {@code java}
     * and {@code os} (name, version and architecture). The folder the run starts in plays
     * no part. The map is sorted and cannot be changed.
     */
    public static Map<String, Object> describe() {
        return describe(BuildCommit.ofThisBuild());
    }

    static Map<String, Object> describe(Optional<BuildCommit> commit) {
        Map<String, Object> description = new TreeMap<>();
        description.put("cpu", cpuModel(CPU_INFO).orElse(null));
        description.put("fineprune", finepruneVersion());
        description.put("git_commit", commit.map(BuildCommit::id).orElse(null));
        description.put("git_dirty", commit.map(BuildCommit::dirty).orElse(null));
        description.put("java", System.getProperty("java.version"));
        description.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        return Collections.unmodifiableMap(description);
    }

    /**
     * Why a record may not repeat here on its own engine: one line naming the processor it was recorded
     * on and this one, where both are known and differ; empty otherwise.
     */
    public static Optional<String> otherProcessor(RunRecord recorded) {
        return otherProcessor(recorded, cpuModel(CPU_INFO).orElse(null));
    }

    static Optional<String> otherProcessor(RunRecord recorded, String here) {
        Object then = recorded.get("environment.cpu");
        if (then == null || here == null || then.equals(here)) {
            return Optional.empty();
        }
        return Optional.of("recorded on " + then + ", replayed on " + here + ": PyTorch's CPU kernels round"
                + " differently on another processor, so what trains need not repeat to the last digit");
    }

    /**
     * Why a record may not repeat with the threads of its replay: one line naming the engine threads
     * ({@code environment.engine_threads}) of both, where both are known and differ; empty otherwise.
     */
    public static Optional<String> otherEngineThreads(RunRecord recorded, RunRecord replayed) {
        Object then = recorded.get("environment.engine_threads");
        Object now = replayed.get("environment.engine_threads");
        if (then == null || now == null || then.toString().equals(now.toString())) {
            return Optional.empty();
        }
        return Optional.of("recorded with " + then + " engine threads, replayed with " + now + ": the engine sums in"
                + " another order with another number of threads, so what trains need not repeat to the last digit");
    }

    /** The first {@code model name} of a {@code /proc/cpuinfo}-style file; empty if none or unreadable. */
    static Optional<String> cpuModel(Path cpuInfo) {
        if (!Files.isReadable(cpuInfo)) {
            return Optional.empty();
        }
        try (var lines = Files.lines(cpuInfo)) {
            return lines.filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).strip()).findFirst();
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    private static String finepruneVersion() {
        String version = Environment.class.getPackage().getImplementationVersion();
        return version == null ? DEVELOPMENT_VERSION : version;
    }
}
