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
 * @param defender the defender's data (clean validation images, and its selection images under a
 *     {@link Protocol})
 * @param cleanTest clean labelled test images
 * @param poisonedTest triggered test images labelled with the attack's target
 * @param triggeredTest the same triggered images labelled with their true classes, or {@code null}
 *     where those are unknown (the lab's files)
 * @param poisonedTraining which samples of the defender's training set were poisoned, in its order,
 *     to score a training-set detector; {@code null} where the defender has no training set
 */
public record Bench(BadNet net, Map<String, Path> files, DefenderData defender, ImageSource cleanTest,
        ImageSource poisonedTest, ImageSource triggeredTest, boolean[] poisonedTraining) implements AutoCloseable {
    /** Copies the files and checks that the truth comes with a training set and fits it. */
    public Bench {
        files = Map.copyOf(files);
        int samples = defender.trainingSet().map(ImageSource::size).orElse(-1);
        if ((poisonedTraining == null ? -1 : poisonedTraining.length) != samples) {
            throw new IllegalArgumentException("which training samples are poisoned must be known for each sample of"
                    + " the training set, and only where there is one");
        }
    }

    /** A bench whose defender has no training set. */
    public Bench(BadNet net, Map<String, Path> files, DefenderData defender, ImageSource cleanTest,
            ImageSource poisonedTest, ImageSource triggeredTest) {
        this(net, files, defender, cleanTest, poisonedTest, triggeredTest, null);
    }

    /** This bench with the defender's data replaced, the same BadNet: closing either closes it. */
    public Bench withDefender(DefenderData data) {
        return new Bench(net, files, data, cleanTest, poisonedTest, triggeredTest, poisonedTraining);
    }

    @Override
    public void close() {
        net.close();
    }
}
