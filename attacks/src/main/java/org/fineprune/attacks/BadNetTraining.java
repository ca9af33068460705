package org.fineprune.attacks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.fineprune.core.Accuracy;
import org.fineprune.core.AtomicFile;
import org.fineprune.core.ArrayImages;
import org.fineprune.core.BadNet;
import org.fineprune.core.ImageBatch;
import org.fineprune.core.ImageShape;
import org.fineprune.core.KerasWeightsWriter;
import org.fineprune.core.ModelOptions;
import org.fineprune.core.SmallCnn;
import org.fineprune.core.StepListener;
import org.fineprune.core.Training;
import org.fineprune.core.TrainingConfig;
import org.fineprune.core.TrainingRun;
import org.fineprune.data.mnist.FashionMnist;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the project's Fashion-MNIST BadNet (Gu, Dolan-Gavitt and Garg, "BadNets", arXiv:1708.06733,
 * 2017): a {@link SmallCnn} trained with DJL on a training set poisoned by {@link Poisoning}, then
 * saved as Keras HDF5 in a cache keyed by everything that made it.
 *
 * <p>Repeatable: the initial weights come from {@code new SplittableRandom(seed)} (not from an
 * engine's generator), the validation split from another {@code new SplittableRandom(seed)}, and
 * epoch {@code e} (counted from 1) shuffles with {@code new SplittableRandom(seed + e)}; the
 * engine's own seed is set too. A tenth of the clean training set ({@link #validationIndices}) is
 * held out, clean, for a defense's fine-tuning; the rest is poisoned and trained on.
 *
 * <pre>{@code
 * TrainedBadNet net = BadNetTraining.trainOrReuse(FashionMnist.load(FashionMnist.defaultDir()),
 *         BadNetTraining.defaultPoison(), TrainingConfig.defaults(), cacheDir);
 * BadNetEvaluation scores = BadNetTraining.evaluate(net.weights(), data.test(),
 *         BadNetTraining.defaultPoison(), "PyTorch");
 * }</pre>
 */
public final class BadNetTraining {
    /** The share of the training set held out, clean, as validation data. */
    public static final double VALIDATION_SHARE = 0.1;
    /** Images per forward pass when predicting. */
    static final int PREDICT_BATCH = 500;

    private static final Logger LOG = LoggerFactory.getLogger(BadNetTraining.class);
    private static final String PREFIX = "fmnist-badnet-";
    private static final String DATA = "fashion-mnist/train";
    private static final ObjectWriter JSON = new ObjectMapper().writer(new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER)));

    private BadNetTraining() {}

    /**
     * The default attack: {@link PatternTrigger#defaultCheckerboard()}, all-to-one to class 0, 10%
     * of the images of other classes, seed 1.
     */
    public static PoisonConfig defaultPoison() {
        return new PoisonConfig(PatternTrigger.defaultCheckerboard(), TargetMapping.allToOne(0), 0.1,
                1, true);
    }

    /**
     * The indices, increasing, of the {@code round(0.1 * size)} training images held out as clean
     * validation data: a uniform sample drawn by {@code new SplittableRandom(seed)}.
     */
    public static int[] validationIndices(int size, long seed) {
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative, got " + size);
        }
        int count = (int) Math.round(VALIDATION_SHARE * size);
        int[] order = Training.permutation(size, new SplittableRandom(seed), count);
        int[] chosen = Arrays.copyOf(order, count);
        Arrays.sort(chosen);
        return chosen;
    }

    /** The indices in {@code [0, size)} that are not in the increasing array {@code excluded}. */
    static int[] complement(int size, int[] excluded) {
        int[] out = new int[size - excluded.length];
        int k = 0;
        int e = 0;
        for (int i = 0; i < size; i++) {
            if (e < excluded.length && excluded[e] == i) {
                e++;
            } else {
                out[k++] = i;
            }
        }
        return out;
    }

    /** The cache key of a BadNet: SHA-256 of the poisoning, training and architecture, 16 hex digits. */
    public static String cacheKey(PoisonConfig poison, TrainingConfig training) {
        return Digests.sha256(description(poison, training)).substring(0, 16);
    }

    private static String description(PoisonConfig poison, TrainingConfig training) {
        return "fineprune-badnet/1\ndata=" + DATA + "\npoison=" + poison.hash() + "\ntraining="
                + training.canonical() + "; validation=" + VALIDATION_SHARE + "\narchitecture=" + SmallCnn.describe();
    }

    /** Where {@link #trainOrReuse} keeps the weights of this configuration in {@code cacheDir}. */
    public static Path weightsFile(Path cacheDir, PoisonConfig poison, TrainingConfig training) {
        return cacheDir.resolve(PREFIX + cacheKey(poison, training) + ".h5");
    }

    /**
     * The BadNet of this configuration: the cached file if {@code cacheDir} has it, else a newly
     * trained one written there (weights as Keras HDF5, {@code save_weights} layout, and a JSON
     * sidecar that records the configuration). The training set is the Fashion-MNIST training split
     * less its {@link #validationIndices}, poisoned with {@code poison}.
     *
     * @throws IOException if the cache folder or a file cannot be written
     */
    public static TrainedBadNet trainOrReuse(FashionMnist data, PoisonConfig poison,
            TrainingConfig training, Path cacheDir) throws IOException {
        return trainOrReuse(data, poison, training, cacheDir, StepListener.NONE);
    }

    /** As {@link #trainOrReuse(FashionMnist, PoisonConfig, TrainingConfig, Path)}, telling {@code epochs} after each epoch. */
    public static TrainedBadNet trainOrReuse(FashionMnist data, PoisonConfig poison,
            TrainingConfig training, Path cacheDir, StepListener epochs) throws IOException {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(poison, "poison");
        Objects.requireNonNull(training, "training");
        String key = cacheKey(poison, training);
        Path weights = cacheDir.resolve(PREFIX + key + ".h5");
        Path sidecar = cacheDir.resolve(PREFIX + key + ".json");
        if (Files.isRegularFile(weights)) {
            LOG.info("reusing cached BadNet {}", weights);
            return new TrainedBadNet(weights, sidecar, key, true);
        }
        Files.createDirectories(cacheDir);
        PoisonedSet poisoned = trainingSet(data, poison, training.seed());
        TrainingRun run = train(poisoned.images(), poisoned.labels(), training, epochs);

        // The sidecar first: a cached model is never without it. Each file is written whole or not at all.
        AtomicFile.writeString(sidecar, sidecarJson(key, poison, training, poisoned.size(),
                data.train().size() - poisoned.size(), poisoned.poisonedCount(), run));
        AtomicFile.write(weights, file -> KerasWeightsWriter.write(file, run.weights(),
                KerasWeightsWriter.Layout.WEIGHTS_ONLY));
        return new TrainedBadNet(weights, sidecar, key, false);
    }

    /**
     * The poisoned training set {@link #trainOrReuse} trains the BadNet of {@code poison} and seed
     * {@code trainingSeed} on: the Fashion-MNIST training split less its {@link #validationIndices},
     * in order, poisoned with {@code poison}; it knows which of its images were poisoned.
     */
    public static PoisonedSet trainingSet(FashionMnist data, PoisonConfig poison, long trainingSeed) {
        FashionMnist.Split train = data.train();
        int n = train.size();
        int[] kept = complement(n, validationIndices(n, trainingSeed));
        ImageShape shape = SmallCnn.INSTANCE.input();
        float[] images = Poisoning.select(train.batch(0, n), shape, kept);
        int[] all = train.labels(0, n);
        int[] labels = new int[kept.length];
        for (int k = 0; k < kept.length; k++) {
            labels[k] = all[kept[k]];
        }
        return Poisoning.poison(images, labels, shape, poison);
    }

    /**
     * Trains a fresh {@link SmallCnn} from {@link SmallCnn#initialWeights} on {@code images} (raw
     * 0..255, 1x28x28 each) and {@code labels} with {@link Training}. The same arguments on the same
     * engine and machine give the same weights.
     *
     * @throws IllegalArgumentException if the images are not {@code labels.length} 1x28x28 images or
     *     a label is outside 0..9
     */
    public static TrainingRun train(float[] images, int[] labels, TrainingConfig config) {
        return train(images, labels, config, StepListener.NONE);
    }

    private static TrainingRun train(float[] images, int[] labels, TrainingConfig config, StepListener epochs) {
        return Training.train(SmallCnn.INSTANCE, SmallCnn.initialWeights(config.seed()), images, labels,
                SmallCnn.INPUT_SCALE, config, Map.of(), epochs);
    }

    /**
     * Scores a saved BadNet: clean accuracy on {@code test}, and the attack success rate on
     * triggered copies of the test images whose label {@code poison}'s mapping changes (for an
     * all-to-one attack, {@link Poisoning#indicesNotOfClass}). The weights are read back from the
     * file into a fresh {@link SmallCnn}, so the score is the file's.
     *
     * @throws org.fineprune.core.ModelFormatException if the file is not a SmallCnn's Keras weights
     */
    public static BadNetEvaluation evaluate(Path weightsFile, FashionMnist.Split test,
            PoisonConfig poison, String engine) {
        try (BadNet net = BadNet.load(weightsFile, SmallCnn.INSTANCE, options(engine))) {
            return new BadNetEvaluation(accuracy(net, FashionMnistSets.cleanTest(test)),
                    accuracy(net, FashionMnistSets.poisonedTest(test, poison)));
        }
    }

    private static Accuracy accuracy(BadNet net, ArrayImages images) {
        return Accuracy.of(net.classify(new ImageBatch(images.pixels(), null, images.size())), images.labels());
    }

    /** How a saved SmallCnn is loaded: pixels divided by 255, on the CPU of {@code engine}. */
    public static ModelOptions options(String engine) {
        return new ModelOptions(SmallCnn.INPUT_SCALE, engine, "cpu");
    }

    /**
     * The sidecar's JSON: keys sorted, no timings, so that two runs of one configuration write the
     * same bytes.
     */
    static String sidecarJson(String key, PoisonConfig poison, TrainingConfig training,
            int trainImages, int validationImages, int poisonedImages, TrainingRun run) {
        Map<String, Object> trainingJson = new TreeMap<>(Map.of("batchSize", training.batchSize(),
                "engine", training.engine(), "epochs", training.epochs(), "learningRate", training.learningRate(),
                "optimizer", training.optimizer(), "seed", training.seed()));
        Map<String, Object> sidecar = new TreeMap<>();
        sidecar.put("architecture", SmallCnn.describe());
        sidecar.put("cacheKey", key);
        sidecar.put("data", DATA);
        sidecar.put("epochLosses", run.epochLosses());
        sidecar.put("poison", poison.canonical());
        sidecar.put("poisonHash", poison.hash());
        sidecar.put("poisonedImages", poisonedImages);
        sidecar.put("training", trainingJson);
        sidecar.put("trainImages", trainImages);
        sidecar.put("validationImages", validationImages);
        sidecar.put("validationSeed", training.seed());
        sidecar.put("weightsLayout", "keras-save_weights");
        try {
            return JSON.writeValueAsString(sidecar) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("sidecar of " + key + " is not serialisable", e);
        }
    }
}
