package org.fineprune.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.fineprune.core.BadNet;
import org.fineprune.core.ImageBatch;
import org.fineprune.core.ImageShape;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Measures batch inference throughput (images per second) of a model on each engine.
 *
 * <p>Each engine warms up, then runs {@code --rounds} rounds of {@code --batches} batches of seeded
 * random images; the median round is the figure to quote. Engines run one after the other in one
 * process, so their ratio is measured under the same conditions.
 */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = "Batch inference throughput of a model on each engine (images/s).")
final class BenchmarkCommand implements Callable<Integer> {
    @Mixin
    ModelMixin model;

    @Option(names = "--engines", split = ",", defaultValue = "PyTorch,MXNet",
            description = "Engines to measure, in order (default: ${DEFAULT-VALUE}).")
    List<String> engines;

    @Option(names = "--batch", defaultValue = "256", description = "Images per batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--batches", defaultValue = "10", description = "Batches per round (default: ${DEFAULT-VALUE}).")
    int batches;

    @Option(names = "--rounds", defaultValue = "7", description = "Timed rounds (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--json", description = "Print one JSON object per engine instead of a table.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (batchSize < 1 || batches < 1 || rounds < 1) {
            throw new IllegalArgumentException("--batch, --batches and --rounds must be positive");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (!json) {
            out.printf("machine: %s, %d cores; batch %d, %d batches x %d rounds%n", Machine.cpu(),
                    Runtime.getRuntime().availableProcessors(), batchSize, batches, rounds);
        }
        for (String engine : engines) {
            try (BadNet net = model.load(model.options().withEngine(engine))) {
                double[] perSecond = measure(net, randomImages(batchSize, net.architecture().input(), 42));
                Arrays.sort(perSecond);
                report(out, net, perSecond);
            }
        }
        return 0;
    }

    private double[] measure(BadNet net, ImageBatch batch) {
        for (int i = 0; i < 3; i++) {
            net.classify(batch);
        }
        double[] perSecond = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long start = System.nanoTime();
            for (int b = 0; b < batches; b++) {
                net.classify(batch);
            }
            perSecond[r] = (double) batches * batch.size() / ((System.nanoTime() - start) / 1e9);
        }
        return perSecond;
    }

    private void report(PrintWriter out, BadNet net, double[] sorted) {
        double median = sorted[sorted.length / 2];
        if (json) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("engine", net.engineName());
            row.put("engine_version", net.engineVersion());
            row.put("device", net.device());
            row.put("batch", batchSize);
            row.put("images_per_second_median", median);
            row.put("images_per_second_min", sorted[0]);
            row.put("images_per_second_max", sorted[sorted.length - 1]);
            row.put("rounds", rounds);
            row.put("cpu", Machine.cpu());
            row.put("cores", Runtime.getRuntime().availableProcessors());
            out.println(Json.line(row));
        } else {
            List<String> all = new ArrayList<>();
            for (double v : sorted) {
                all.add(String.format(Locale.ROOT, "%.0f", v));
            }
            out.printf(Locale.ROOT, "%-8s %-7s %-7s median %.0f images/s (rounds: %s)%n", net.engineName(),
                    net.engineVersion(), net.device(), median, String.join(" ", all));
        }
    }

    /**
     * Raw 0..255 pixels from a fixed seed: inference time does not depend on the pixel values.
     *
     * @throws IllegalArgumentException if the batch's pixels would not fit one Java array
     */
    static ImageBatch randomImages(int count, ImageShape shape, long seed) {
        if ((long) count * shape.size() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--batch must be at most " + Integer.MAX_VALUE / shape.size()
                    + " images of " + shape + " (the pixels of a batch are one Java array), got " + count);
        }
        SplittableRandom random = new SplittableRandom(seed);
        float[] pixels = new float[count * shape.size()];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextInt(256);
        }
        return new ImageBatch(pixels, null, count);
    }
}
