package org.fineprune.cli;

import java.nio.file.Path;
import org.fineprune.core.ModelSource;
import org.fineprune.experiments.LabSubject;
import org.fineprune.experiments.Subject;

/**
 * The subject a command's flags name: with {@code --model}, that BadNet file and its lab data
 * ({@link DataOptions}); without it, the project's Fashion-MNIST BadNet of each seed
 * ({@link FashionMnistOptions}).
 */
final class SubjectOptions {
    private SubjectOptions() {}

    /**
     * The subject of {@code model} (null for Fashion-MNIST) and the data flags.
     *
     * @throws IllegalArgumentException if data flags are given without {@code --model}, or lab data is missing
     */
    static Subject subject(Path model, double scale, DataOptions data, FashionMnistOptions fashionMnist) {
        if (model == null) {
            if (data.given()) {
                throw new IllegalArgumentException("the data options (--data, --valid, --test, --poisoned) need --model; "
                        + "without it the subject is the Fashion-MNIST BadNet of each seed");
            }
            return fashionMnist.subject();
        }
        if (fashionMnist.recipeGiven()) {
            throw new IllegalArgumentException("--network, --attack, --poison-rate and --pruning-aware describe the "
                    + "Fashion-MNIST BadNet; with --model the BadNet is that file");
        }
        return LabSubject.of(new ModelSource(model, scale), data.all());
    }
}
