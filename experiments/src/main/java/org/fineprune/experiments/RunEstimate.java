package org.fineprune.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.fineprune.attacks.BadNetRecipe;
import org.fineprune.reproducibility.ResultsLog;

/**
 * How long the points of a run that its folder does not hold yet will take on this machine, stated
 * before it starts: each point's seconds are the mean defense and scoring time of the records of the
 * same defense and network already in the run folder where there are some, else the {@link
 * CostTable}'s; the BadNets not yet in the cache are trained first, at the table's time.
 *
 * @param points every point of the run
 * @param recorded points the run folder holds already
 * @param timedByRecords points to run priced by the run folder's records
 * @param timedByTable points to run priced by the cost table
 * @param pointSeconds the seconds of the points to run
 * @param toTrain the BadNets not yet in the cache, in words
 * @param trainingSeconds the seconds to train them
 */
public record RunEstimate(int points, int recorded, int timedByRecords, int timedByTable, double pointSeconds,
        List<String> toTrain, double trainingSeconds) {
    /** Copies the list. */
    public RunEstimate {
        toTrain = List.copyOf(toTrain);
    }

    /**
     * The estimate of {@code plans} run into {@code runDir}; reads the folder's records, writes nothing.
     *
     * @throws IOException if the records cannot be read
     */
    static RunEstimate of(List<ExperimentPlan> plans, Path runDir, CostTable costs) throws IOException {
        List<PointRecord> records = Files.isRegularFile(runDir.resolve(ResultsLog.FILE_NAME)) ? Records.read(runDir)
                : List.of();
        Set<String> done = records.stream().map(PointRecord::point).collect(Collectors.toSet());
        Map<String, double[]> timed = new HashMap<>(); // defense/network -> {sum, count}
        for (PointRecord r : records) {
            double seconds = r.timings().getOrDefault("defense_seconds", 0.0)
                    + r.timings().getOrDefault("evaluation_seconds", 0.0);
            double[] sum = timed.computeIfAbsent(r.config().defense().name() + "/" + network(r.config().subject()),
                    k -> new double[2]);
            sum[0] += seconds;
            sum[1]++;
        }
        int points = 0;
        int recorded = 0;
        int byRecords = 0;
        double seconds = 0;
        Map<BadNetRecipe, String> toTrain = new LinkedHashMap<>();
        for (ExperimentPlan plan : plans) {
            for (Point point : plan.points()) {
                points++;
                if (done.contains(point.key())) {
                    recorded++;
                    continue;
                }
                Subject subject = plan.subject(point);
                double[] sum = timed.get(point.defense() + "/" + network(subject));
                byRecords += sum == null ? 0 : 1;
                seconds += sum == null ? costs.pointSeconds(point.defense(), network(subject)) : sum[0] / sum[1];
                if (subject instanceof FashionMnistSubject fashion) {
                    BadNetRecipe recipe = fashion.recipe(point.seed());
                    if (Files.notExists(recipe.weightsFile(Path.of(fashion.cache())))) {
                        toTrain.put(recipe, fashion.badNet(point.seed()));
                    }
                }
            }
        }
        return new RunEstimate(points, recorded, byRecords, points - recorded - byRecords, seconds,
                List.copyOf(toTrain.values()), toTrain.keySet().stream().mapToDouble(costs::trainingSeconds).sum());
    }

    private static String network(Subject subject) {
        return subject instanceof FashionMnistSubject fashion ? fashion.network() : "";
    }

    /** The whole time, training included, in seconds. */
    public double seconds() {
        return pointSeconds + trainingSeconds;
    }

    /**
     * One paragraph: {@code N points (R already recorded), about H h M min on this machine}, where the
     * times come from, and the BadNets to train first.
     */
    public String describe() {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%d points (%d already recorded), about %s "
                + "on this machine", points, recorded, duration(seconds())));
        text.append(String.format(Locale.ROOT, ": %d to run, %d timed by the records in the run folder, %d by the "
                + "checked-in cost table", points - recorded, timedByRecords, timedByTable));
        if (!toTrain.isEmpty()) {
            text.append(String.format(Locale.ROOT, "; %d BadNet%s to train first (about %s): %s", toTrain.size(),
                    toTrain.size() == 1 ? "" : "s", duration(trainingSeconds), String.join(", ", toTrain)));
        }
        return text.toString();
    }

    /** {@code H h M min}, or {@code M min} under an hour. */
    static String duration(double seconds) {
        long minutes = Math.round(seconds / 60);
        return minutes < 60 ? minutes + " min" : minutes / 60 + " h " + minutes % 60 + " min";
    }
}
