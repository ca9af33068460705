package org.fineprune.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fineprune.core.BadNet;
import org.fineprune.core.PruningCache;
import org.fineprune.core.ImageSource;
import org.fineprune.core.StepListener;
import org.fineprune.data.LabDataset;
import org.fineprune.data.RepeatedImages;
import org.fineprune.defenses.pruning.MeanActivationPruning;
import org.fineprune.defenses.pruning.PruningConfig;
import org.fineprune.defenses.pruning.PruningCurve;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Times a full pruning sweep (every channel of a layer) on a validation set of a given size, with
 * the cached fast path and, optionally, the path that re-runs the whole network at every step.
 */
@Command(name = "benchmark-pruning", mixinStandardHelpOptions = true,
        description = "Times a full pruning sweep: cached fast path, and with --slow the full-network path "
                + "in the same run.")
final class PruningBenchmarkCommand implements Callable<Integer> {
    @Mixin
    ModelMixin model;

    @ArgGroup(exclusive = false, heading = DataOptions.HEADING)
    DataOptions data = new DataOptions();

    @Option(names = "--images", defaultValue = "11547",
            description = "Repeat the validation images up to this many (default: ${DEFAULT-VALUE}, the lab's "
                    + "full validation set); 0 uses the file as it is.")
    int images;

    @Option(names = "--layer",
            description = "Convolution to prune (default: the model's pruning layer, conv_3 for the lab's DeepID).")
    String layer;

    @Option(names = "--rounds", defaultValue = "3", description = "Timed fast sweeps (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--slow", description = "Also time one sweep that re-runs the whole network at each step.")
    boolean slow;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (rounds < 1 || images < 0) {
            throw new IllegalArgumentException("--rounds must be positive and --images not negative");
        }
        Path valid = data.valid();
        Map<String, Object> result = new LinkedHashMap<>();
        try (BadNet net = model.load(model.options())) {
            LabDataset file = LabDataset.open(valid, net);
            ImageSource source = images == 0 ? file : RepeatedImages.of(file, images);
            if (layer == null) {
                layer = net.architecture().pruningLayer();
            }
            PruningConfig config = PruningConfig.lab().layer(layer).resolve(net.architecture());
            double[] fast = new double[rounds];
            PruningCurve fastCurve = null;
            for (int r = 0; r < rounds; r++) {
                long start = System.nanoTime();
                fastCurve = new MeanActivationPruning(config).sweep(net, source, StepListener.NONE);
                fast[r] = (System.nanoTime() - start) / 1e9;
            }
            Arrays.sort(fast);
            result.put("engine", net.engineName());
            result.put("device", net.device());
            result.put("layer", layer);
            result.put("images", source.size());
            result.put("steps", fastCurve.order().length);
            result.put("fast_seconds_median", fast[rounds / 2]);
            result.put("fast_seconds_all", Arrays.stream(fast).boxed().toList());
            // The sweep's cache holds as many bytes per image as one built from a single image.
            try (PruningCache one = PruningCache.build(net, layer, RepeatedImages.of(file, 1), 1, List.of())) {
                result.put("cache_megabytes", source.size() * one.bytesPerImage() / 1e6);
            }
            if (slow) {
                long start = System.nanoTime();
                PruningCurve slowCurve = new MeanActivationPruning(config.fullForward(true))
                        .sweep(net, source, ProgressBars.forThisProcess().steps("full-network sweep"));
                double seconds = (System.nanoTime() - start) / 1e9;
                result.put("slow_seconds", seconds);
                result.put("speedup", seconds / fast[rounds / 2]);
                result.put("same_curve", Arrays.equals(fastCurve.order(), slowCurve.order())
                        && Arrays.equals(fastCurve.accuracies(), slowCurve.accuracies()));
            }
        }
        result.put("peak_resident_megabytes", peakResidentMegabytes());
        result.put("cpu", Machine.cpu());
        result.put("cores", Runtime.getRuntime().availableProcessors());
        print(result);
        return 0;
    }

    private static double peakResidentMegabytes() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("VmHWM:"))
                    .mapToDouble(l -> Double.parseDouble(l.replaceAll("[^0-9]", "")) / 1024)
                    .findFirst().orElse(Double.NaN);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private void print(Map<String, Object> result) {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.line(result));
            return;
        }
        out.printf(Locale.ROOT, "machine: %s, %s cores; %s on %s%n", result.get("cpu"), result.get("cores"),
                result.get("engine"), result.get("device"));
        out.printf(Locale.ROOT, "full sweep of %s (%s steps) over %s images: median %.2f s (rounds %s)%n", layer,
                result.get("steps"), result.get("images"), result.get("fast_seconds_median"),
                result.get("fast_seconds_all"));
        out.printf(Locale.ROOT, "cached activations: %.1f MB; peak resident memory %.0f MB%n",
                result.get("cache_megabytes"), result.get("peak_resident_megabytes"));
        if (slow) {
            out.printf(Locale.ROOT, "full-network sweep: %.2f s, %.1f times slower, same curve: %s%n",
                    result.get("slow_seconds"), result.get("speedup"), result.get("same_curve"));
        }
    }
}
