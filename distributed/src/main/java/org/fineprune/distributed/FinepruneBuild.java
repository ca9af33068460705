package org.fineprune.distributed;

import java.util.Map;
import org.fineprune.reproducibility.Environment;

/**
 * The Fineprune build a JVM runs, as the members of one cluster must share it: the version and the
 * commit it was built from, so that a cluster's records are those of a local run.
 */
final class FinepruneBuild {
    private FinepruneBuild() {}

    /** This JVM's build, such as {@code 0.1.0 (commit 317f0b3a1c2d)}. */
    static String current() {
        Map<String, Object> environment = Environment.describe();
        Object commit = environment.get("git_commit");
        return environment.get("fineprune") + (commit == null ? "" : " (commit " + commit.toString().substring(0, 12)
                + (Boolean.TRUE.equals(environment.get("git_dirty")) ? ", with uncommitted changes" : "") + ")");
    }
}
