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
import org.fineprune.core.InitialWeights;
import org.fineprune.core.KerasModelWriter;
import org.fineprune.core.KerasWeightsWriter;
import org.fineprune.core.ModelOptions;
import org.fineprune.core.SmallCnn;
import org.fineprune.core.StepListener;
import org.fineprune.core.Training;
import org.fineprune.core.TrainingConfig;
import org.fineprune.core.TrainingRun;
import org.fineprune.core.graph.GraphModel;
import org.fineprune.core.graph.KerasReader;
import org.fineprune.data.mnist.FashionMnist;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the project's Fashion-MNIST BadNets (Gu, Dolan-Gavitt and Garg, "BadNets", arXiv:1708.06733,
 * 2017): by default a {@link SmallCnn}, or any network of a {@link BadNetRecipe}, trained with DJL on
 * a training set poisoned by {@link Poisoning}, then saved as Keras HDF5 in a cache keyed by
 * everything that made it.
 *
 * <p>Repeatable: the initial weights come from {@code new SplittableRandom(seed)} (not from an
 * engine's generator; {@link org.fineprune.core.InitialWeights}), the validation split from another {@code new SplittableRandom(seed)}, and
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
        return cacheKey(poison, training, SmallCnn.describe());
    }

    /** The cache key of a BadNet whose network and way of training {@code architecture} describes. */
    static String cacheKey(PoisonConfig poison, TrainingConfig training, String architecture) {
        return Digests.sha256(description(poison, training, architecture)).substring(0, 16);
    }

    private static String description(PoisonConfig poison, TrainingConfig training, String architecture) {
        return "fineprune-badnet/1\ndata=" + DATA + "\npoison=" + poison.hash() + "\ntraining="
                + training.canonical() + "; validation=" + VALIDATION_SHARE + "\narchitecture=" + architecture;
    }

    /** Where {@link #trainOrReuse} keeps the weights of this configuration in {@code cacheDir}. */
    public static Path weightsFile(Path cacheDir, PoisonConfig poison, TrainingConfig training) {
        return cacheDir.resolve(PREFIX + cacheKey(poison, training) + ".h5");
    }

    /** Where {@link #trainOrReuse} keeps the weights of {@code recipe} in {@code cacheDir}. */
    static Path weightsFile(Path cacheDir, BadNetRecipe recipe) {
        return cacheDir.resolve(PREFIX + recipe.cacheKey() + ".h5");
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
        return trainOrReuse(data, new BadNetRecipe(SmallCnn.INSTANCE.name(), poison, training, false), cacheDir,
                epochs);
    }

    /**
     * The BadNet of {@code recipe}: the cached file if {@code cacheDir} has it, else a newly trained
     * one written there with its JSON sidecar. The training set is the Fashion-MNIST training split
     * less its {@link #validationIndices}, poisoned with the recipe's poisoning.
     *
     * @throws IOException if the cache folder or a file cannot be written
     */
    static TrainedBadNet trainOrReuse(FashionMnist data, BadNetRecipe recipe, Path cacheDir, StepListener epochs)
            throws IOException {
        Objects.requireNonNull(data, "data");
        String key = recipe.cacheKey();
        Path weights = weightsFile(cacheDir, recipe);
        if (Files.isRegularFile(weights)) {
            LOG.info("reusing cached BadNet {}", weights);
            return new TrainedBadNet(weights, cacheDir.resolve(PREFIX + key + ".json"), key, true);
        }
        FashionMnist.Split train = data.train();
        int n = train.size();
        int[] validation = validationIndices(n, recipe.training().seed());
        int[] kept = complement(n, validation);
        return trainAndSave(recipe, Poisoning.select(train.batch(0, n), ImageShape.FASHION_MNIST, kept),
                labels(train, kept), validation.length, cacheDir, epochs);
    }

    /**
     * The poisoned training set a BadNet of {@code poison} and seed {@code trainingSeed} trains on:
     * the Fashion-MNIST training split less its {@link #validationIndices}, in order, poisoned with
     * {@code poison}; it knows which of its images were poisoned.
     */
    public static PoisonedSet trainingSet(FashionMnist data, PoisonConfig poison, long trainingSeed) {
        FashionMnist.Split train = data.train();
        int n = train.size();
        int[] kept = complement(n, validationIndices(n, trainingSeed));
        return Poisoning.poison(Poisoning.select(train.batch(0, n), ImageShape.FASHION_MNIST, kept),
                labels(train, kept), ImageShape.FASHION_MNIST, poison);
    }

    private static int[] labels(FashionMnist.Split train, int[] kept) {
        int[] all = train.labels(0, train.size());
        int[] labels = new int[kept.length];
        for (int k = 0; k < kept.length; k++) {
            labels[k] = all[kept[k]];
        }
        return labels;
    }

    /**
     * Trains the BadNet of {@code recipe} on the attacker's clean {@code images} and {@code labels}
     * (poisoned here) and writes it, with its sidecar, into {@code cacheDir} under the recipe's key:
     * the small CNN as {@code save_weights} HDF5, as it always was, any other network (or a
     * pruning-aware small CNN) as a Keras full-model file.
     */
    static TrainedBadNet trainAndSave(BadNetRecipe recipe, float[] images, int[] labels, int validationImages,
            Path cacheDir, StepListener epochs) throws IOException {
        String key = recipe.cacheKey();
        Path weights = weightsFile(cacheDir, recipe);
        Path sidecar = cacheDir.resolve(PREFIX + key + ".json");
        Files.createDirectories(cacheDir);
        PoisonedSet poisoned = Poisoning.poison(images, labels, ImageShape.FASHION_MNIST, recipe.poison());
        TrainingConfig training = recipe.training();
        Map<String, Object> record = sidecar(key, recipe, labels.length, validationImages, poisoned.poisonedCount());
        if (recipe.isSmallCnnWeights()) {
            TrainingRun run = train(poisoned.images(), poisoned.labels(), training, epochs);
            record.put("epochLosses", run.epochLosses());
            record.put("weightsLayout", "keras-save_weights");
            // The sidecar first: a cached model is never without it. Each file is written whole or not at all.
            AtomicFile.writeString(sidecar, json(key, record));
            AtomicFile.write(weights, file -> KerasWeightsWriter.write(file, run.weights(),
                    KerasWeightsWriter.Layout.WEIGHTS_ONLY));
            return new TrainedBadNet(weights, sidecar, key, false);
        }
        GraphModel initial = InitialWeights.of(recipe.architecture().graph(), training.seed());
        GraphModel trained;
        if (recipe.pruningAware()) {
            PruningAwareAttack.Result attack = PruningAwareAttack.train(initial, images, labels, poisoned,
                    SmallCnn.INPUT_SCALE, training, epochs);
            record.put("reinstatedChannels", Map.of(attack.layer(), attack.reinstated()));
            trained = attack.model();
        } else {
            trained = Training.train(initial, poisoned.images(), poisoned.labels(), SmallCnn.INPUT_SCALE, training,
                    Map.of(), epochs);
        }
        record.put("weightsLayout", "keras-model");
        AtomicFile.writeString(sidecar, json(key, record));
        KerasModelWriter.write(trained, weights);
        return new TrainedBadNet(weights, sidecar, key, false);
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
     * file ({@link #load}), so the score is the file's.
     *
     * @throws org.fineprune.core.ModelFormatException if the file is not a BadNet this class wrote
     */
    public static BadNetEvaluation evaluate(Path weightsFile, FashionMnist.Split test,
            PoisonConfig poison, String engine) {
        try (BadNet net = load(weightsFile, engine)) {
            return new BadNetEvaluation(accuracy(net, FashionMnistSets.cleanTest(test)),
                    accuracy(net, FashionMnistSets.poisonedTest(test, poison)));
        }
    }

    private static Accuracy accuracy(BadNet net, ArrayImages images) {
        return Accuracy.of(net.classify(new ImageBatch(images.pixels(), null, images.size())), images.labels());
    }

    /**
     * Loads a BadNet that {@link #trainOrReuse} saved, on the CPU of {@code engine}: a Keras
     * full-model file of any network, or the {@code save_weights} file of a {@link SmallCnn}.
     *
     * @throws org.fineprune.core.ModelFormatException if the file is neither
     */
    public static BadNet load(Path weightsFile, String engine) {
        return KerasReader.hasModelConfig(weightsFile) ? BadNet.load(weightsFile, options(engine))
                : BadNet.load(weightsFile, SmallCnn.INSTANCE, options(engine));
    }

    /** How a saved BadNet is loaded: pixels divided by 255, on the CPU of {@code engine}. */
    public static ModelOptions options(String engine) {
        return new ModelOptions(SmallCnn.INPUT_SCALE, engine, "cpu");
    }

    /**
     * The sidecar's JSON: keys sorted, no timings, so that two runs of one configuration write the
     * same bytes.
     */
    static String sidecarJson(String key, PoisonConfig poison, TrainingConfig training,
            int trainImages, int validationImages, int poisonedImages, TrainingRun run) {
        Map<String, Object> record = sidecar(key, new BadNetRecipe(SmallCnn.INSTANCE.name(), poison, training, false),
                trainImages, validationImages, poisonedImages);
        record.put("epochLosses", run.epochLosses());
        record.put("weightsLayout", "keras-save_weights");
        return json(key, record);
    }

    /** The sidecar's fields that every BadNet has, sorted. */
    private static Map<String, Object> sidecar(String key, BadNetRecipe recipe, int trainImages,
            int validationImages, int poisonedImages) {
        TrainingConfig training = recipe.training();
        Map<String, Object> trainingJson = new TreeMap<>(Map.of("batchSize", training.batchSize(),
                "engine", training.engine(), "epochs", training.epochs(), "learningRate", training.learningRate(),
                "optimizer", training.optimizer(), "seed", training.seed()));
        trainingJson.putAll(training.addedSettings());
        Map<String, Object> sidecar = new TreeMap<>();
        sidecar.put("architecture", recipe.description());
        sidecar.put("cacheKey", key);
        sidecar.put("data", DATA);
        sidecar.put("poison", recipe.poison().canonical());
        sidecar.put("poisonHash", recipe.poison().hash());
        sidecar.put("poisonedImages", poisonedImages);
        sidecar.put("training", trainingJson);
        sidecar.put("trainImages", trainImages);
        sidecar.put("validationImages", validationImages);
        sidecar.put("validationSeed", training.seed());
        return sidecar;
    }

    private static String json(String key, Map<String, Object> sidecar) {
        try {
            return JSON.writeValueAsString(sidecar) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("sidecar of " + key + " is not serialisable", e);
        }
    }
}
