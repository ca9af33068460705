package org.fineprune.experiments;

import com.fasterxml.jackson.annotation.JsonIgnore;
import org.fineprune.attacks.FashionMnistNetworks;
import org.fineprune.attacks.BadNetTestSets;
import org.fineprune.attacks.BadNetAttack;
import org.fineprune.attacks.BadNetRecipe;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fineprune.attacks.BadNetTraining;
import org.fineprune.attacks.FashionMnistSets;
import org.fineprune.attacks.PoisonConfig;
import org.fineprune.attacks.PoisonedSet;
import org.fineprune.attacks.TrainedBadNet;
import org.fineprune.core.Architecture;
import org.fineprune.core.ArrayImages;
import org.fineprune.core.BadNet;
import org.fineprune.core.ImageShape;
import org.fineprune.core.Progress;
import org.fineprune.core.SmallCnn;
import org.fineprune.core.TrainingConfig;
import org.fineprune.data.mnist.FashionMnist;
import org.fineprune.defenses.api.DefenderData;

/**
 * The project's own BadNet of each seed on Fashion-MNIST, made by a {@link BadNetRecipe}: the
 * network ({@code small-cnn} by default, {@code wide-cnn}, {@code preact-resnet}) trained under
 * that seed on the training images poisoned by the attack ({@code patch} by default: a 4x4
 * checkerboard bottom-right, target 0; {@code blend}, {@code all-to-all}) at the poisoning rate
 * (0.1 by default) choosing its images with that seed, or by the pruning-aware attack, less a clean
 * tenth held out as the defender's validation data. Trained BadNets are kept in {@code cache} and
 * reused. The defender also holds that poisoned training set, for the defenses that inspect it, and
 * the scorer knows which of its images were poisoned. Scores are on the 10,000 test images and the
 * triggered copies of those not of the target class, whose true classes give the robust accuracy.
 *
 * @param data the folder of the four Fashion-MNIST IDX files
 * @param cache where trained BadNets are kept
 * @param network the network, one of {@link FashionMnistNetworks#NAMES}
 * @param attack the attack, as {@link BadNetAttack#byName} reads it
 * @param rate the share of the training images poisoned, in (0, 1]
 * @param pruningAware whether the pruning-aware attack of Fine-Pruning trains it
 */
public record FashionMnistSubject(String data, String cache, String network, String attack, double rate,
        @JsonProperty("pruning_aware") boolean pruningAware) implements Subject {
    /** The name of this kind in a record. */
    public static final String KIND = "fashion-mnist";
    /** The project's default BadNet: the small CNN, the patch attack, 10% poisoned. */
    public static final String DEFAULT_NETWORK = "small-cnn";
    /** The default attack. */
    public static final String DEFAULT_ATTACK = "patch";
    /** The default poisoning rate. */
    public static final double DEFAULT_RATE = 0.1;

    /** Checks the values, the recipe's among them. */
    public FashionMnistSubject {
        if (data == null || cache == null) {
            throw new IllegalArgumentException("the Fashion-MNIST folder and the cache folder are both needed");
        }
        recipeOf(network, attack, rate, pruningAware, 1);
    }

    /** The project's default BadNet, its images in {@code data}, BadNets cached in {@code cache}. */
    public static FashionMnistSubject of(Path data, Path cache) {
        return new FashionMnistSubject(data.toString(), cache.toString(), DEFAULT_NETWORK, DEFAULT_ATTACK, DEFAULT_RATE,
                false);
    }

    /** A copy whose BadNets are {@code network}s attacked by {@code attack} at {@code rate}, pruning-aware or not. */
    public FashionMnistSubject recipe(String network, String attack, double rate, boolean pruningAware) {
        return new FashionMnistSubject(data, cache, network, attack, rate, pruningAware);
    }

    /**
     * The subject whose recipe takes the values of {@code axes} ({@link SubjectAxes}) in place of its
     * own; the attack {@value SubjectAxes#PRUNING_AWARE} is the patch trigger trained pruning-aware,
     * any other attack is trained plainly.
     */
    @Override
    public FashionMnistSubject along(Map<String, String> axes) {
        String attackAxis = axes.get(SubjectAxes.ATTACK);
        boolean aware = attackAxis == null ? pruningAware : attackAxis.equals(SubjectAxes.PRUNING_AWARE);
        String attackName = attackAxis == null ? attack : aware ? BadNetAttack.PATCH.id() : attackAxis;
        String rateAxis = axes.get(SubjectAxes.RATE);
        return recipe(axes.getOrDefault(SubjectAxes.NETWORK, network), attackName,
                rateAxis == null ? rate : Double.parseDouble(rateAxis), aware);
    }

    /** The recipe of seed {@code seed}'s BadNet. */
    public BadNetRecipe recipe(long seed) {
        return recipeOf(network, attack, rate, pruningAware, seed);
    }

    private static BadNetRecipe recipeOf(String network, String attack, double rate, boolean pruningAware, long seed) {
        return BadNetRecipe.of(network, BadNetAttack.byName(attack), rate, seed).withPruningAware(pruningAware);
    }

    /** Which BadNet seed {@code seed} trains, in words: {@code the BadNet of seed 1 (small-cnn, patch at 0.1)}. */
    public String badNet(long seed) {
        return "the BadNet of seed " + seed + " (" + network + ", " + attack + " at " + Point.number(rate)
                + (pruningAware ? ", pruning-aware" : "") + ")";
    }

    @Override
    @JsonIgnore
    public Map<String, Path> inputs() {
        Map<String, Path> files = new LinkedHashMap<>();
        try (var entries = Files.list(Path.of(data))) {
            List<String> stems = List.of(FashionMnist.TRAIN_IMAGES, FashionMnist.TRAIN_LABELS, FashionMnist.TEST_IMAGES,
                    FashionMnist.TEST_LABELS);
            entries.filter(Files::isRegularFile)
                    .filter(f -> stems.stream().anyMatch(s -> f.getFileName().toString().startsWith(s)))
                    .sorted().forEach(f -> files.put(f.getFileName().toString(), f));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot list the Fashion-MNIST folder " + data + ": " + e.getMessage(),
                    e);
        }
        return files;
    }

    @Override
    public Architecture architecture(String engine, String device) {
        return recipe(1).architecture();
    }

    /** The poisoned training set the BadNet learnt from. */
    @Override
    public boolean hasTrainingSet() {
        return true;
    }

    @Override
    public Bench open(String engine, String device, long seed, Progress progress) throws IOException {
        FashionMnist images = FashionMnist.load(Path.of(data));
        BadNetRecipe recipe = recipe(seed);
        TrainedBadNet trained = recipe.trainOrReuse(images, Path.of(cache),
                progress.start(badNet(seed) + ", trained once and reused from " + cache));
        PoisonedSet poisonedSet = BadNetTraining.trainingSet(images, recipe.poison(), seed);
        Map<String, Path> files = new LinkedHashMap<>(inputs());
        files.put("badnet", trained.weights());
        BadNetTestSets sets = recipe.testSets(images);
        BadNet net = trained.load(engine);
        return new Bench(net, files, new DefenderData(sets.validation(), trainingImages(poisonedSet)), sets.clean(),
                sets.poisoned(), sets.triggered(), poisoned(poisonedSet));
    }

    /** The images of {@code training} with the labels the BadNet learnt (a poisoned image's is the target). */
    static ArrayImages trainingImages(PoisonedSet training) {
        return new ArrayImages("fashion-mnist/train poisoned (" + training.poisonedCount() + " of " + training.size()
                + ")", ImageShape.FASHION_MNIST, training.images(), training.labels());
    }

    /** Whether each image of {@code training} was poisoned. */
    static boolean[] poisoned(PoisonedSet training) {
        boolean[] poisoned = new boolean[training.size()];
        for (int i : training.poisonedIndices()) {
            poisoned[i] = true;
        }
        return poisoned;
    }
}
