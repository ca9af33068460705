package org.fineprune.experiments;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fineprune.core.Progress;
import org.fineprune.reproducibility.RunRecord;

/**
 * Where the groups of points of a sweep run: on this machine ({@link #local()}, the default) or, with
 * the {@code distributed} module, on the members of a cluster. Whatever runs them, the records come
 * back in the order of the groups, so that {@code results.jsonl} is written in the same order.
 */
public interface GroupExecutor {
    /**
     * Runs every group, telling {@code results} of each one's records (or failure) in the order of
     * {@code groups}.
     *
     * @param progress told when a BadNet is trained on this machine
     * @throws IOException if a file cannot be read, or {@code results} cannot write
     */
    void run(List<PointGroup> groups, Progress progress, Results results) throws IOException;

    /** Told of each group's outcome, in the order of the groups. */
    interface Results {
        /**
         * The group's records, one per point in its order.
         *
         * @throws IOException if they cannot be written
         */
        void completed(PointGroup group, List<RunRecord> records) throws IOException;

        /** The group was given up after failing; {@code why} says where and how, one line. */
        void failed(PointGroup group, String why);
    }

    /**
     * Runs the groups one after another in this JVM, with one {@link GroupRunner}; a failure stops the
     * sweep with its exception.
     */
    static GroupExecutor local() {
        return (groups, progress, results) -> {
            // The sweep hashed the inputs on this machine moments ago: no need to read them again.
            Map<Path, String> known = new HashMap<>();
            for (PointGroup group : groups) {
                group.subject().inputs().forEach((role, path) -> known.put(path, group.hashes().get(role)));
            }
            try (GroupRunner runner = new GroupRunner(progress, known)) {
                for (PointGroup group : groups) {
                    results.completed(group, runner.run(group));
                }
            }
        };
    }
}
