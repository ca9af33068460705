package org.fineprune.experiments;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.fineprune.core.Architecture;
import org.fineprune.core.Progress;

/**
 * What an experiment defends: a BadNet and the data around it, recorded with every point under
 * {@code config.subject} and named there by {@code kind}. Either a BadNet of one's own with data in
 * the lab's layout ({@link LabSubject}) or the project's Fashion-MNIST BadNet of each seed ({@link
 * FashionMnistSubject}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({@JsonSubTypes.Type(value = LabSubject.class, name = LabSubject.KIND),
        @JsonSubTypes.Type(value = FashionMnistSubject.class, name = FashionMnistSubject.KIND)})
public sealed interface Subject permits LabSubject, FashionMnistSubject {
    /** The files every point reads, by role, hashed before any work (a BadNet trained later is not among them). */
    Map<String, Path> inputs();

    /**
     * The network, for checking the defenses' settings against it before any work.
     *
     * @throws IllegalArgumentException if the model cannot be loaded on {@code engine}
     */
    Architecture architecture(String engine, String device);

    /**
     * The subject of one combination of a sweep's {@link SubjectAxes} values (pairs of a point's key):
     * itself where there is none.
     *
     * @throws IllegalArgumentException if this subject has no such axes
     */
    default Subject along(Map<String, String> axes) {
        if (!axes.isEmpty()) {
            throw new IllegalArgumentException("the " + String.join(", ", axes.keySet()) + " axes describe the "
                    + "Fashion-MNIST BadNet; a lab subject (--model) is one BadNet file");
        }
        return this;
    }

    /** Whether the defender holds the BadNet's (poisoned) training set, which some defenses inspect. */
    boolean hasTrainingSet();

    /**
     * The BadNet and data of one point.
     *
     * @param seed the point's seed (the Fashion-MNIST BadNet trained with it)
     * @param progress told when a BadNet is trained
     * @throws IOException if a file cannot be read
     */
    Bench open(String engine, String device, long seed, Progress progress) throws IOException;
}
