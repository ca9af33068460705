package org.fineprune.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fineprune.core.BadNet;
import org.fineprune.core.LayerChannel;
import org.fineprune.core.testing.SharedCsaw;
import org.fineprune.data.LabData;
import org.fineprune.reproducibility.RunRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab3 sweep (drops 2, 4, 10, 30 x conv_3, conv_4 x PyTorch, MXNet) through the machinery of any
 * defense gives the channels, curves and metrics that the pruning-only machinery recorded before it
 * ({@code lab3-sweep-schema1.jsonl}, written by {@code fineprune sweep} at commit 15bf947), number
 * for number.
 */
@Tag("real-data")
class Lab3RecordsUnchangedTest {
    @TempDir
    Path tmp;

    @Test
    void every_point_has_the_channels_curve_and_metrics_of_the_old_record() throws IOException {
        List<RunRecord> old = oldRecords();
        SweepResult now = Experiment.named("lab3").model(BadNet.keras(SharedCsaw.file("models/bd_weights.h5")))
                .data(LabData.at(SharedCsaw.file("data"))).defense("pruning")
                .sweep(Sweep.over("drop", 2, 4, 10, 30).and("layer", "conv_3", "conv_4").engines("PyTorch", "MXNet"))
                .run(tmp.resolve("run"));
        Map<String, PointRecord> byPoint = new HashMap<>();
        now.records().forEach(r -> byPoint.put(r.point(), r));
        assertEquals(16, old.size());
        assertEquals(16, byPoint.size());
        for (RunRecord before : old) {
            PointRecord after = byPoint.get("defense=pruning," + before.point());
            String layer = (String) before.get("config.defense.layer");
            String point = before.point();
            assertEquals(before.get("config.defense.layer"), after.config().defense().settings().get("layer"), point);
            assertEquals(before.get("config.defense.ranking_layer"), after.diagnostics().get("rankingLayer"), point);
            assertEquals(before.get("config.defense.rule"), after.config().defense().settings().get("rule"), point);
            assertEquals(before.get("config.defense.batch"),
                    after.config().defense().settings().get("pruning-batch-size"), point);
            assertEquals(before.get("hashes"), after.hashes(), point);
            assertEquals(before.get("pruned_channels"), ((Map<?, ?>) after.diagnostics().get("prunedChannels")).get(layer),
                    point);
            assertEquals(before.get("order"), after.pruningSteps().order().stream().map(LayerChannel::channel).toList(),
                    point);
            assertEquals(before.get("curve"), after.diagnostics().get("validAccuracies"), point);
            assertEquals(before.get("metrics.reached"), after.diagnostics().get("reached"), point);
            assertEquals(before.get("metrics.valid_accuracy"), after.diagnostics().get("validAccuracy"), point);
            assertEquals(before.get("metrics.valid_accuracy"), after.metrics().repaired().validAccuracy(), point);
            assertEquals(before.get("metrics.baseline.valid_accuracy"), after.metrics().badnet().validAccuracy(), point);
            assertEquals(before.get("metrics.baseline.clean_accuracy"), after.metrics().badnet().cleanAccuracy(), point);
            assertEquals(before.get("metrics.baseline.attack_success_rate"),
                    after.metrics().badnet().attackSuccessRate(), point);
            assertEquals(before.get("metrics.repaired.clean_accuracy"), after.metrics().repaired().cleanAccuracy(), point);
            assertEquals(before.get("metrics.repaired.attack_success_rate"),
                    after.metrics().repaired().attackSuccessRate(), point);
            assertEquals(before.get("metrics.goodnet.clean_accuracy"), after.metrics().detector().cleanAccuracy(), point);
            assertEquals(before.get("metrics.goodnet.attack_success_rate"),
                    after.metrics().detector().attackSuccessRate(), point);
            assertEquals(before.get("metrics.goodnet.poisoned_flagged"), after.metrics().detector().poisonedFlagged(),
                    point);
            assertEquals(before.get("metrics.goodnet.clean_flagged"), after.metrics().detector().cleanFlagged(), point);
        }
    }

    private static List<RunRecord> oldRecords() throws IOException {
        try (InputStream in = Lab3RecordsUnchangedTest.class.getResourceAsStream("/lab3-sweep-schema1.jsonl")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(RunRecord::parse).toList();
        }
    }
}
