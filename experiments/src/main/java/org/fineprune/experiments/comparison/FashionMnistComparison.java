package org.fineprune.experiments.comparison;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fineprune.attacks.BadNetTraining;
import org.fineprune.attacks.FashionMnistSets;
import org.fineprune.attacks.PoisonConfig;
import org.fineprune.attacks.TrainedBadNet;
import org.fineprune.core.BadNet;
import org.fineprune.core.SmallCnn;
import org.fineprune.core.TrainingConfig;
import org.fineprune.data.mnist.FashionMnist;
import org.fineprune.defenses.finepruning.ComparisonConfig;
import org.fineprune.defenses.finepruning.DefenseData;
import org.fineprune.defenses.finepruning.FinePruning;
import org.fineprune.defenses.finepruning.Phases;

/**
 * Fine-Pruning's comparison on the project's own Fashion-MNIST BadNets, one per seed: each seed
 * trains (or reuses from {@code cache}) a BadNet with {@link TrainingConfig#defaults()} and the
 * default attack under that seed, holds out its clean tenth as the defender's data, and fine-tunes
 * with that seed.
 *
 * <pre>{@code
 * List<SeedComparison> runs = FashionMnistComparison.of(FashionMnist.load(FashionMnist.defaultDir()))
 *         .seeds(1, 2, 3).cache(Path.of("cache")).config(ComparisonConfig.defaults().drop(4))
 *         .run(Phases.NONE);
 * }</pre>
 *
 * @param data the Fashion-MNIST images
 * @param seeds one comparison per seed
 * @param cache where trained BadNets are kept and reused
 * @param config the defenses' settings; its fine-tuning seed is replaced by each run's seed
 */
public record FashionMnistComparison(FashionMnist data, List<Long> seeds, Path cache, ComparisonConfig config) {
    /** Checks the values. */
    public FashionMnistComparison {
        seeds = List.copyOf(seeds);
        if (seeds.isEmpty() || seeds.stream().distinct().count() != seeds.size()) {
            throw new IllegalArgumentException("give at least one seed, each once, got " + seeds);
        }
        // A misspelt layer is refused now rather than after each seed's BadNet has been trained.
        config.layers().forEach(SmallCnn.INSTANCE::conv);
    }

    /** Seed 1, cache {@code fineprune-cache}, {@link ComparisonConfig#defaults()}. */
    public static FashionMnistComparison of(FashionMnist data) {
        return new FashionMnistComparison(data, List.of(1L), Path.of("fineprune-cache"), ComparisonConfig.defaults());
    }

    /** A copy with other seeds. */
    public FashionMnistComparison seeds(long... values) {
        return new FashionMnistComparison(data, java.util.Arrays.stream(values).boxed().toList(), cache, config);
    }

    /** A copy keeping trained BadNets in {@code dir}. */
    public FashionMnistComparison cache(Path dir) {
        return new FashionMnistComparison(data, seeds, dir, config);
    }

    /** A copy with other defense settings. */
    public FashionMnistComparison config(ComparisonConfig settings) {
        return new FashionMnistComparison(data, seeds, cache, settings);
    }

    /** The attack of seed {@code seed}: the default attack choosing its images with that seed. */
    public static PoisonConfig poison(long seed) {
        PoisonConfig base = BadNetTraining.defaultPoison();
        return new PoisonConfig(base.trigger(), base.mapping(), base.rate(), seed, base.excludeTarget());
    }

    /**
     * Trains or reuses each seed's BadNet and runs the comparison on it.
     *
     * @param phases told when training (with its epochs) and each defense start
     * @throws IOException if the cache cannot be written
     */
    public List<SeedComparison> run(Phases phases) throws IOException {
        List<SeedComparison> results = new ArrayList<>();
        for (long seed : seeds) {
            TrainingConfig training = TrainingConfig.defaults().withSeed(seed);
            boolean cached = Files.isRegularFile(BadNetTraining.weightsFile(cache, poison(seed), training));
            TrainedBadNet trained = BadNetTraining.trainOrReuse(data, poison(seed), training, cache,
                    phases.start((cached ? "reusing the BadNet of seed " : "training the BadNet of seed ") + seed
                            + " in " + cache));
            DefenseData defenseData = new DefenseData(FashionMnistSets.validation(data, seed),
                    FashionMnistSets.cleanTest(data.test()), FashionMnistSets.poisonedTest(data.test(), poison(seed)),
                    FashionMnistSets.triggeredTest(data.test(), poison(seed)));
            try (BadNet net = BadNet.load(trained.weights(), SmallCnn.INSTANCE,
                    BadNetTraining.options(config.fineTuning().engine()))) {
                ComparisonConfig seeded = config.fineTuning(config.fineTuning().withSeed(seed));
                results.add(new SeedComparison(seed, trained.weights(), ComparisonRecord.files(data.dir(),
                        List.of(FashionMnist.TRAIN_IMAGES, FashionMnist.TRAIN_LABELS, FashionMnist.TEST_IMAGES,
                                FashionMnist.TEST_LABELS)),
                        FinePruning.compare(net, defenseData, seeded, phase -> phases.start("seed " + seed + ": " + phase))));
            }
        }
        return results;
    }
}
