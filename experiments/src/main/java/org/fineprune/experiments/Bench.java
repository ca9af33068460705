package org.fineprune.experiments;

import java.nio.file.Path;
import java.util.Map;
import org.fineprune.core.BadNet;
import org.fineprune.core.ImageSource;
import org.fineprune.defenses.api.DefenderData;

/**
 * One point's BadNet and data, opened: what the defender holds, and the test sets it never sees,
 * which score the defense. Closing it closes the BadNet.
 *
 * @param net the BadNet
 * @param files every file the point depends on, by role, hashed into its record
 * @param defender the defender's data (clean validation images)
 * @param cleanTest clean labelled test images
 * @param poisonedTest triggered test images labelled with the attack's target
 * @param triggeredTest the same triggered images labelled with their true classes, or {@code null}
 *     where those are unknown (the lab's files)
 */
public record Bench(BadNet net, Map<String, Path> files, DefenderData defender, ImageSource cleanTest,
        ImageSource poisonedTest, ImageSource triggeredTest) implements AutoCloseable {
    /** Copies the files. */
    public Bench {
        files = Map.copyOf(files);
    }

    @Override
    public void close() {
        net.close();
    }
}
