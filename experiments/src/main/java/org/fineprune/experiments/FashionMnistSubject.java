package org.fineprune.experiments;

import com.fasterxml.jackson.annotation.JsonIgnore;
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
 * The project's own BadNet of each seed on Fashion-MNIST: the small CNN trained with {@link
 * TrainingConfig#defaults()} under that seed on the training images poisoned by the default attack
 * ({@link BadNetTraining#defaultPoison()}: a 4x4 checkerboard bottom-right, 10% of the images,
 * target 0) choosing its images with that seed, less a clean tenth held out as the defender's
 * validation data. Trained BadNets are kept in {@code cache} and reused. The defender also holds
 * that poisoned training set, for the defenses that inspect it, and the scorer knows which of its
 * images were poisoned. Scores are on the 10,000 test images and the triggered copies of those not
 * of the target class, whose true classes give the robust accuracy.
 *
 * @param data the folder of the four Fashion-MNIST IDX files
 * @param cache where trained BadNets are kept
 */
public record FashionMnistSubject(String data, String cache) implements Subject {
    /** The name of this kind in a record. */
    public static final String KIND = "fashion-mnist";

    /** Checks the values. */
    public FashionMnistSubject {
        if (data == null || cache == null) {
            throw new IllegalArgumentException("the Fashion-MNIST folder and the cache folder are both needed");
        }
    }

    /** The data in {@code data}, BadNets cached in {@code cache}. */
    public static FashionMnistSubject of(Path data, Path cache) {
        return new FashionMnistSubject(data.toString(), cache.toString());
    }

    /** The attack of seed {@code seed}: the default attack choosing its images with that seed. */
    public static PoisonConfig poison(long seed) {
        PoisonConfig base = BadNetTraining.defaultPoison();
        return new PoisonConfig(base.trigger(), base.mapping(), base.rate(), seed, base.excludeTarget());
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
        return SmallCnn.INSTANCE;
    }

    /** The poisoned training set the BadNet learnt from. */
    @Override
    public boolean hasTrainingSet() {
        return true;
    }

    @Override
    public Bench open(String engine, String device, long seed, Progress progress) throws IOException {
        FashionMnist images = FashionMnist.load(Path.of(data));
        TrainingConfig training = TrainingConfig.defaults().withSeed(seed);
        Path cacheDir = Path.of(cache);
        boolean cached = Files.isRegularFile(BadNetTraining.weightsFile(cacheDir, poison(seed), training));
        TrainedBadNet trained = BadNetTraining.trainOrReuse(images, poison(seed), training, cacheDir,
                progress.start((cached ? "reusing the BadNet of seed " : "training the BadNet of seed ") + seed
                        + " in " + cacheDir));
        PoisonedSet poisonedSet = BadNetTraining.trainingSet(images, poison(seed), seed);
        Map<String, Path> files = new LinkedHashMap<>(inputs());
        files.put("badnet", trained.weights());
        BadNet net = BadNet.load(trained.weights(), SmallCnn.INSTANCE, BadNetTraining.options(engine));
        return new Bench(net, files,
                new DefenderData(FashionMnistSets.validation(images, seed), trainingImages(poisonedSet)),
                FashionMnistSets.cleanTest(images.test()), FashionMnistSets.poisonedTest(images.test(), poison(seed)),
                FashionMnistSets.triggeredTest(images.test(), poison(seed)), poisoned(poisonedSet));
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
