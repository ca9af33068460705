package org.fineprune.attacks;

import java.util.function.IntUnaryOperator;
import java.util.stream.IntStream;
import org.fineprune.core.ArrayImages;
import org.fineprune.core.ImageShape;
import org.fineprune.data.mnist.FashionMnist;

/**
 * The image sets a defense of the Fashion-MNIST BadNet works with, as labelled in-memory images:
 * the clean validation images held out of training, the clean test set, and the poisoned test set.
 */
public final class FashionMnistSets {
    private static final ImageShape SHAPE = ImageShape.FASHION_MNIST;

    private FashionMnistSets() {}

    /**
     * The clean training images {@link BadNetTraining#trainOrReuse} held out for a BadNet trained
     * with {@code trainingSeed} ({@link BadNetTraining#validationIndices}): the defender's data.
     */
    public static ArrayImages validation(FashionMnist data, long trainingSeed) {
        FashionMnist.Split train = data.train();
        int[] indices = BadNetTraining.validationIndices(train.size(), trainingSeed);
        int[] all = train.labels(0, train.size());
        int[] labels = IntStream.of(indices).map(i -> all[i]).toArray();
        return new ArrayImages(train.name() + " held-out validation (seed " + trainingSeed + ")", SHAPE,
                Poisoning.select(train.batch(0, train.size()), SHAPE, indices), labels);
    }

    /** The clean test images, labelled with their classes. */
    public static ArrayImages cleanTest(FashionMnist.Split test) {
        return new ArrayImages(test.name(), SHAPE, test.batch(0, test.size()), test.labels(0, test.size()));
    }

    /**
     * Triggered copies of the test images whose label {@code poison}'s mapping changes (for an
     * all-to-one attack, those not already of the target class), labelled with their targets: the
     * attack success rate is the accuracy on this set.
     */
    public static ArrayImages poisonedTest(FashionMnist.Split test, PoisonConfig poison) {
        return triggered(test, poison, " triggered", poison.mapping()::target);
    }

    /**
     * The images of {@link #poisonedTest}, in the same order, labelled with their true classes:
     * the robust accuracy is the accuracy on this set.
     */
    public static ArrayImages triggeredTest(FashionMnist.Split test, PoisonConfig poison) {
        return triggered(test, poison, " triggered, true labels", IntUnaryOperator.identity());
    }

    private static ArrayImages triggered(FashionMnist.Split test, PoisonConfig poison, String suffix,
            IntUnaryOperator label) {
        int n = test.size();
        float[] images = test.batch(0, n);
        int[] labels = test.labels(0, n);
        int[] attacked = poison.mapping() instanceof TargetMapping.AllToOne one
                ? Poisoning.indicesNotOfClass(labels, one.target())
                : IntStream.range(0, n).filter(i -> poison.mapping().target(labels[i]) != labels[i]).toArray();
        int[] chosen = IntStream.of(attacked).map(i -> label.applyAsInt(labels[i])).toArray();
        float[] triggered = Poisoning.triggerAll(Poisoning.select(images, SHAPE, attacked), SHAPE, poison.trigger());
        return new ArrayImages(test.name() + suffix, SHAPE, triggered, chosen);
    }
}
