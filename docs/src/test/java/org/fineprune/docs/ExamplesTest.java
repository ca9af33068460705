package org.fineprune.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.fineprune.core.testing.SharedCsaw;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user guide's examples run on the real lab3 data, so the guide cannot go stale. */
@Tag("real-data")
class ExamplesTest {
    @Test
    void the_guides_sweep_records_every_point_and_resumes(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("lab3");
        String[] args = {SharedCsaw.dir().toString(), run.toString()};
        String output = stdout(() -> Lab3PruningSweep.main(args));
        assertTrue(output.startsWith("48 points run, 0 already recorded"), output);
        List<String> records = Files.readAllLines(run.resolve("results.jsonl"));
        assertEquals(4 * 2 * 2 * 3, records.size(), "drops x layers x engines x seeds");
        assertTrue(Files.readString(run.resolve("report.md")).contains("![") , "the report embeds its plots");
        try (var plots = Files.list(run.resolve("plots"))) {
            for (Path png : plots.toList()) {
                assertTrue(ImageIO.read(png.toFile()).getWidth() > 0, png.toString());
            }
        }
        String again = stdout(() -> Lab3PruningSweep.main(args));
        assertTrue(again.startsWith("0 points run, 48 already recorded"), again);
    }

    @Test
    void the_guides_goodnet_flags_or_keeps_the_target_for_sunglasses_faces() throws Exception {
        String output = stdout(() -> ClassifyWithGoodNet.main(new String[] {SharedCsaw.dir().toString()}));
        List<String> lines = output.lines().toList();
        assertEquals(20, lines.size(), output);
        assertTrue(lines.stream().allMatch(l -> l.equals("0") || l.equals("1283 (flagged)")), output);
    }

    @Test
    void the_guides_comparison_prints_the_badnet_and_four_defenses(@TempDir Path tmp) throws Exception {
        String output = stdout(() -> CompareDefenses.main(new String[] {SharedCsaw.dir().toString(),
                tmp.resolve("compare").toString()}));
        List<String> lines = output.lines().toList();
        assertEquals(5, lines.size(), output);
        assertEquals("BadNet: clean 100.00%, attack 100.00%", lines.get(0));
        assertTrue(lines.get(1).startsWith("fine-tuning: 0 channels pruned"), output);
        assertTrue(lines.get(2).startsWith("pruning: 48 channels pruned"), output);
        assertTrue(lines.get(3).startsWith("fine-pruning: 48 channels pruned"), output);
        assertTrue(lines.get(4).startsWith("multi-layer-fine-pruning: "), output);
        assertEquals(4, Files.readAllLines(tmp.resolve("compare/results.jsonl")).size(), "one record per defense");
    }

    @Test
    void the_guides_defense_found_by_name_prunes_as_the_comparison_does() throws Exception {
        String output = stdout(() -> RunDefenseByName.main(new String[] {SharedCsaw.dir().toString()}));
        List<String> lines = output.lines().toList();
        assertEquals(4, lines.size(), output);
        assertTrue(lines.get(0).startsWith("fine-pruning{batch-size=16, drop=4.0, drop-unit=points, epochs=3, layer=, learning-rate=0.001,"
                + " optimizer=adam, pruning-batch-size=256, rule=first-over, schedule=constant, weight-decay=0.0}:"
                + " pruned {conv_3=["), output);
        assertEquals(48, lines.get(0).replaceAll(".*\\[|\\].*", "").split(", ").length, output);
        assertTrue(lines.get(1).startsWith("B': clean "), output);
        assertTrue(lines.get(2).startsWith("G flags "), output);
        assertEquals("defenses found: [fine-pruning, fine-tuning, multi-layer-fine-pruning, pruning]", lines.get(3));
    }

    /** What {@code example} prints on standard output. */
    private static String stdout(Example example) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            example.run();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @FunctionalInterface
    private interface Example {
        void run() throws Exception;
    }
}
