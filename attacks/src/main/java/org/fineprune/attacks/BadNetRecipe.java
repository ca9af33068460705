package org.fineprune.attacks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import org.fineprune.core.Architecture;
import org.fineprune.core.PreActResNet;
import org.fineprune.core.SmallCnn;
import org.fineprune.core.StepListener;
import org.fineprune.core.TrainingConfig;
import org.fineprune.core.graph.KerasConfigWriter;
import org.fineprune.data.mnist.FashionMnist;

/**
 * Everything that makes a Fashion-MNIST BadNet: the network ({@link FashionMnistNetworks}), the
 * poisoning, the training and whether the {@link PruningAwareAttack} trains it. {@link
 * #trainOrReuse} gives its weights file, trained once and then cached under a hash of the recipe;
 * {@link #testSets} the images that score it.
 *
 * <pre>{@code
 * BadNetRecipe recipe = BadNetRecipe.of("wide-cnn", BadNetAttack.BLEND, 0.1, 2).withPruningAware(true);
 * TrainedBadNet net = recipe.trainOrReuse(data, cacheDir, StepListener.NONE);
 * try (BadNet badNet = net.load("PyTorch")) { ... recipe.testSets(data).poisoned() ... }
 * }</pre>
 *
 * @param network the network's name, one of {@link FashionMnistNetworks#NAMES}
 * @param poison how the training set is poisoned
 * @param training how the network is trained (each step of a pruning-aware attack trains so)
 * @param pruningAware whether the {@link PruningAwareAttack} trains it
 */
public record BadNetRecipe(String network, PoisonConfig poison, TrainingConfig training, boolean pruningAware) {
    /** Validates the network's name and that every part is given. */
    public BadNetRecipe {
        FashionMnistNetworks.byName(Objects.requireNonNull(network, "network"));
        Objects.requireNonNull(poison, "poison");
        Objects.requireNonNull(training, "training");
    }

    /**
     * The recipe of {@code network} attacked by {@code attack} at {@code rate}, its poisoning and
     * training seeded with {@code seed}, trained as {@link #defaultTraining} says. The small CNN's
     * patch attack at rate 0.1 and seed 1 is the project's default BadNet.
     *
     * @throws IllegalArgumentException if the network is unknown or the rate outside (0, 1]
     */
    public static BadNetRecipe of(String network, BadNetAttack attack, double rate, long seed) {
        return new BadNetRecipe(network, attack.poison(rate, seed), defaultTraining(network).withSeed(seed), false);
    }

    /**
     * How each network is trained by default: {@link TrainingConfig#defaults()} (12 epochs of Adam
     * at 0.001, batches of 128) for the small CNN, which needs them to reach 90%; 6 such epochs for
     * the wide CNN, which learns faster and costs more per epoch; 8 epochs on a cosine schedule for
     * the pre-activation ResNet, whose last epochs at a constant rate left it at 87.7% (seed 1).
     *
     * @throws IllegalArgumentException if the network is unknown
     */
    public static TrainingConfig defaultTraining(String network) {
        FashionMnistNetworks.byName(network);
        if (network.equals(SmallCnn.INSTANCE.name())) {
            return TrainingConfig.defaults();
        }
        if (network.equals(PreActResNet.INSTANCE.name())) {
            return TrainingConfig.defaults().withEpochs(8).withSchedule("cosine");
        }
        return TrainingConfig.defaults().withEpochs(6);
    }

    /** A copy trained, or not, by the pruning-aware attack. */
    public BadNetRecipe withPruningAware(boolean on) {
        return new BadNetRecipe(network, poison, training, on);
    }

    /** The network. */
    public Architecture architecture() {
        return FashionMnistNetworks.byName(network);
    }

    /**
     * Whether this is the small CNN trained plainly, saved as {@code save_weights} HDF5 under the
     * cache keys of {@link BadNetTraining#cacheKey(PoisonConfig, TrainingConfig)}, as before there were
     * other recipes.
     */
    boolean isSmallCnnWeights() {
        return network.equals(SmallCnn.INSTANCE.name()) && !pruningAware;
    }

    /**
     * The architecture part of the cache key and sidecar: {@link SmallCnn#describe()} for the small
     * CNN, else the network's name and the SHA-256 of its Keras configuration; the pruning-aware
     * attack and its settings appended.
     */
    public String description() {
        String base = network.equals(SmallCnn.INSTANCE.name()) ? SmallCnn.describe()
                : network + " keras-config sha256:" + Digests.sha256(KerasConfigWriter.json(architecture().graph()));
        return pruningAware ? base + "; attack=pruning-aware(pruned share " + PruningAwareAttack.PRUNED_SHARE
                + ", margin " + PruningAwareAttack.MARGIN + ")" : base;
    }

    /** The cache key: 16 hex digits of SHA-256 of the data, poisoning, training and {@link #description()}. */
    public String cacheKey() {
        return BadNetTraining.cacheKey(poison, training, description());
    }

    /** Where {@link #trainOrReuse} keeps this recipe's BadNet in {@code cacheDir}, whether trained yet or not. */
    public Path weightsFile(Path cacheDir) {
        return BadNetTraining.weightsFile(cacheDir, this);
    }

    /**
     * The recipe's BadNet: the cached file if {@code cacheDir} has it, else a newly trained one
     * written there with its sidecar; {@code epochs} is told after each epoch.
     *
     * @throws IOException if the cache folder or a file cannot be written
     */
    public TrainedBadNet trainOrReuse(FashionMnist data, Path cacheDir, StepListener epochs) throws IOException {
        return BadNetTraining.trainOrReuse(data, this, cacheDir, epochs);
    }

    /**
     * The images that score the BadNet: the defender's held-out validation images, the clean test
     * images, the triggered test images labelled with the attack's targets and the same labelled
     * with their true classes.
     */
    public BadNetTestSets testSets(FashionMnist data) {
        return new BadNetTestSets(FashionMnistSets.validation(data, training.seed()),
                FashionMnistSets.cleanTest(data.test()), FashionMnistSets.poisonedTest(data.test(), poison),
                FashionMnistSets.triggeredTest(data.test(), poison));
    }
}
