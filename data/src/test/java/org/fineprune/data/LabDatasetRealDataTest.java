package org.fineprune.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fineprune.core.DeepId;
import org.fineprune.core.ImageBatch;
import org.fineprune.core.testing.SharedCsaw;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reads the lab3 files and face images of the shared csaw folder (see {@link SharedCsaw}). */
class LabDatasetRealDataTest {
    @ParameterizedTest
    @CsvSource({"data/cl/valid.h5, 72", "data/cl/test.h5, 56", "data/bd/bd_valid.h5, 91",
            "data/bd/bd_test.h5, 71"})
    void reads_every_lab_file_with_raw_pixel_values(String relative, int count) throws IOException {
        LabDataset dataset = LabDataset.open(SharedCsaw.file(relative));
        assertEquals(count, dataset.size());
        assertTrue(dataset.labelled());

        int[] seen = {0};
        dataset.forEachBatch(32, batch -> {
            for (int k = 0; k < batch.pixels().length; k++) {
                float v = batch.pixels()[k];
                int image = seen[0] + k / DeepId.IMAGE_VALUES;
                assertTrue(v >= 0 && v <= 255, () -> relative + " image " + image + ": " + v);
            }
            seen[0] += batch.size();
        });
        assertEquals(count, seen[0]);
    }

    @ParameterizedTest
    @CsvSource({"data/bd/bd_valid.h5", "data/bd/bd_test.h5"})
    void poisoned_images_carry_the_target_label(String relative) throws IOException {
        LabDataset dataset = LabDataset.open(SharedCsaw.file(relative));

        dataset.forEachBatch(50, batch -> assertTrue(
                Arrays.stream(batch.labels()).allMatch(label -> label == 0),
                () -> relative + " labels " + Arrays.toString(batch.labels())));
    }

    @Test
    void every_listed_image_reads_as_a_face() throws IOException {
        List<String[]> rows = index();
        assertFalse(rows.isEmpty());

        for (String[] row : rows) {
            float[] pixels = FaceImages.read(SharedCsaw.file("images/" + row[0]));
            assertEquals(DeepId.IMAGE_VALUES, pixels.length);
        }
    }

    @Test
    void clean_images_are_rows_of_the_clean_files_with_the_same_labels() throws IOException {
        Map<String, Integer> rowLabels = new HashMap<>();
        for (String file : List.of("data/cl/valid.h5", "data/cl/test.h5")) {
            LabDataset.open(SharedCsaw.file(file)).forEachBatch(16, batch -> {
                for (int i = 0; i < batch.size(); i++) {
                    rowLabels.put(key(image(batch, i)), batch.labels()[i]);
                }
            });
        }

        int clean = 0;
        for (String[] row : index()) {
            if (row[1].equals("clean")) {
                clean++;
                float[] pixels = FaceImages.read(SharedCsaw.file("images/" + row[0]));
                Integer label = rowLabels.get(key(pixels));
                assertEquals(Integer.valueOf(row[2]), label, row[0] + " in the clean HDF5 files");
            }
        }
        assertEquals(rowLabels.size(), clean, "clean PNGs and distinct clean HDF5 rows");
    }

    /** The rows of images/index.csv: file, kind, label, paired_clean, source. */
    private static List<String[]> index() throws IOException {
        List<String> lines = Files.readAllLines(SharedCsaw.file("images/index.csv"));
        assertEquals("file,kind,label,paired_clean,source", lines.get(0));
        List<String[]> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (!line.isBlank()) {
                String[] row = line.split(",", -1);
                assertEquals(5, row.length, line);
                rows.add(row);
            }
        }
        return rows;
    }

    private static float[] image(ImageBatch batch, int i) {
        return Arrays.copyOfRange(batch.pixels(), i * DeepId.IMAGE_VALUES,
                (i + 1) * DeepId.IMAGE_VALUES);
    }

    private static String key(float[] pixels) {
        return Arrays.toString(pixels);
    }
}
