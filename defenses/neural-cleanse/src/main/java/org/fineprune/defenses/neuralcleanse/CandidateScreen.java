package org.fineprune.defenses.neuralcleanse;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.fineprune.core.ArrayImages;
import org.fineprune.core.BadNet;
import org.fineprune.core.ImageBatch;
import org.fineprune.core.ImageShape;

/**
 * A cheap screen for the classes worth a trigger search, for nets with many classes (DeepID's
 * 1283): each clean image is stamped with a square of uniform noise (a quarter of the image's
 * shorter side, at a random place) and classified once; a class ranks higher the more stamped
 * images of other classes the BadNet sends to it. A backdoor target attracts inputs that carry a
 * foreign patch, which is what the screen measures; it costs one forward pass over the clean images.
 */
public final class CandidateScreen {
    /** Images stamped and classified at a time. */
    private static final int CHUNK = 256;

    private CandidateScreen() {}

    /**
     * Every class of {@code net}, most attracting first (ties by class number), after one pass over
     * {@code clean} stamped with noise drawn from {@code seed}.
     */
    public static List<Integer> ranked(BadNet net, ArrayImages clean, long seed) {
        ImageShape shape = net.architecture().input();
        int side = Math.max(1, Math.min(shape.height(), shape.width()) / 4);
        SplittableRandom random = new SplittableRandom(seed);
        long[] attracted = new long[net.architecture().classes()];
        int n = clean.size();
        for (int from = 0; from < n; from += CHUNK) {
            int count = Math.min(CHUNK, n - from);
            float[] stamped = Arrays.copyOfRange(clean.pixels(), from * shape.size(), (from + count) * shape.size());
            for (int i = 0; i < count; i++) {
                int top = random.nextInt(shape.height() - side + 1);
                int left = random.nextInt(shape.width() - side + 1);
                for (int c = 0; c < shape.channels(); c++) {
                    for (int y = top; y < top + side; y++) {
                        for (int x = left; x < left + side; x++) {
                            stamped[i * shape.size() + c * shape.planeSize() + y * shape.width() + x] =
                                    random.nextInt(256);
                        }
                    }
                }
            }
            int[] answers = net.classify(new ImageBatch(stamped, null, count));
            for (int i = 0; i < count; i++) {
                if (answers[i] != clean.labels()[from + i]) {
                    attracted[answers[i]]++;
                }
            }
        }
        return IntStream.range(0, attracted.length).boxed()
                .sorted(Comparator.comparingLong((Integer c) -> -attracted[c]).thenComparing(c -> c)).toList();
    }

    /** The first {@code k} classes of {@link #ranked}, in ascending class order. */
    public static List<Integer> top(BadNet net, ArrayImages clean, int k, long seed) {
        List<Integer> ranked = ranked(net, clean, seed);
        Integer[] top = ranked.subList(0, Math.min(k, ranked.size())).toArray(Integer[]::new);
        Arrays.sort(top);
        return List.of(top);
    }
}
