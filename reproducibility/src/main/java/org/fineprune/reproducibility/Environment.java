package org.fineprune.reproducibility;

import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a run ran on, for the {@code environment} of its records: Java, the operating system, the
 * Fineprune version and the git commit. The caller adds what only it knows (engine, device).
 */
public final class Environment {
    /** The version reported when Fineprune runs from class folders rather than its jars. */
    public static final String DEVELOPMENT_VERSION = "dev";

    private Environment() {}

    /** The description for a run started from the current folder. */
    public static Map<String, Object> describe() {
        return describe(Path.of("").toAbsolutePath());
    }

    /**
     * The description for a run started from {@code workingDirectory}: keys {@code fineprune} (the
     * jar's Implementation-Version, or {@value #DEVELOPMENT_VERSION}), {@code git_commit} (the HEAD
     * commit of the git work tree holding the folder, or {@code null}), {@code java} and {@code os}
     * (name, version and architecture). The map is sorted and cannot be changed.
     */
    public static Map<String, Object> describe(Path workingDirectory) {
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        Map<String, Object> description = new TreeMap<>();
        description.put("fineprune", finepruneVersion());
        description.put("git_commit", GitHead.commitOf(workingDirectory).orElse(null));
        description.put("java", System.getProperty("java.version"));
        description.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        return Collections.unmodifiableMap(description);
    }

    private static String finepruneVersion() {
        String version = Environment.class.getPackage().getImplementationVersion();
        return version == null ? DEVELOPMENT_VERSION : version;
    }
}
