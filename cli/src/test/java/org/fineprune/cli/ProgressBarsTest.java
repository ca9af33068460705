package org.fineprune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.fineprune.core.ArrayImages;
import org.fineprune.core.ImageShape;
import org.fineprune.core.ImageSource;
import org.fineprune.core.Progress;
import org.fineprune.core.StepListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProgressBarsTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream standardError;

    @BeforeEach
    void captureStandardError() {
        standardError = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStandardError() {
        System.setErr(standardError);
    }

    @Test
    void a_pipe_gets_one_plain_line_per_step() {
        StepListener steps = ProgressBars.choose(false, false).steps("pruning conv_3");
        for (int done = 1; done <= 4; done++) {
            steps.onStep(done, 4);
        }
        List<String> lines = lines();
        assertEquals(4, lines.size(), String.join("\n", lines));
        for (int i = 0; i < 4; i++) {
            assertTrue(lines.get(i).startsWith("pruning conv_3") && lines.get(i).contains((i + 1) + "/4"), lines.get(i));
            assertTrue(!lines.get(i).contains("\r") && !lines.get(i).contains("\033"), "plain text: " + lines.get(i));
        }
    }

    @Test
    void a_long_label_in_a_pipe_still_shows_the_count_and_the_time_left() {
        String label = "the BadNet of seed 1 (wide-cnn, patch at 0.1, pruning-aware), trained once and reused from "
                + "/root/.cache/fineprune";
        StepListener steps = ProgressBars.choose(false, false).steps(label);
        steps.onStep(1, 40);
        steps.onStep(2, 40);
        String line = lines().get(1);
        assertTrue(line.startsWith(label) && line.contains("2/40"), line);
        assertTrue(line.matches(".*\\(\\d+:\\d\\d:\\d\\d / \\d+:\\d\\d:\\d\\d\\).*"), "elapsed / left: " + line);
    }

    @Test
    void each_phase_of_a_run_gets_its_line_then_its_steps() {
        StepListener steps = ProgressBars.choose(false, false).progress().start("sweep points");
        steps.onStep(1, 2);
        steps.onStep(2, 2);
        List<String> lines = lines();
        assertEquals(3, lines.size(), String.join("\n", lines));
        assertEquals("sweep points ...", lines.get(0));
        assertTrue(lines.get(2).startsWith("sweep points") && lines.get(2).contains("2/2"), lines.get(2));
    }

    @Test
    void images_handed_out_are_counted_in_a_pipe() throws Exception {
        ImageSource source = new ArrayImages("five", ImageShape.FASHION_MNIST, new float[5 * 784], new int[5]);
        List<Integer> sizes = new ArrayList<>();
        ProgressBars.choose(false, false).track(source, "clean").forEachBatch(2, b -> sizes.add(b.size()));
        assertEquals(List.of(2, 2, 1), sizes);
        List<String> lines = lines();
        assertEquals(3, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(2).contains("5/5 images"), lines.get(2));
    }

    @Test
    void ci_gets_nothing() {
        ProgressBars none = ProgressBars.choose(true, true);
        assertSame(StepListener.NONE, none.steps("x"));
        assertSame(Progress.NONE, none.progress());
        ImageSource source = new ArrayImages("one", ImageShape.FASHION_MNIST, new float[784], new int[1]);
        assertSame(source, none.track(source, "x"));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    private List<String> lines() {
        return err.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
