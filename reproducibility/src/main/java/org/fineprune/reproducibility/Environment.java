package org.fineprune.reproducibility;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a run ran on, for the {@code environment} of its records: Java, the operating system, the
 * Fineprune version and the commit it was built from. The caller adds what only it knows (engine,
 * device).
 */
public final class Environment {
    /** The version reported when Fineprune runs from class folders rather than its jars. */
    public static final String DEVELOPMENT_VERSION = "dev";

    private Environment() {}

    /**
     * The description of this run: keys {@code fineprune} (the jar's Implementation-Version, or
     * {@value #DEVELOPMENT_VERSION}), {@code git_commit} and {@code git_dirty} (the commit Fineprune
     * was built from and whether the build had uncommitted changes; {@code null} when unknown),
     * {@code java} and {@code os} (name, version and architecture). The folder the run starts in plays
     * no part. The map is sorted and cannot be changed.
     */
    public static Map<String, Object> describe() {
        return describe(BuildCommit.ofThisBuild());
    }

    static Map<String, Object> describe(Optional<BuildCommit> commit) {
        Map<String, Object> description = new TreeMap<>();
        description.put("fineprune", finepruneVersion());
        description.put("git_commit", commit.map(BuildCommit::id).orElse(null));
        description.put("git_dirty", commit.map(BuildCommit::dirty).orElse(null));
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
