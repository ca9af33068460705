package org.fineprune.attacks;

import static org.fineprune.attacks.TestImages.index;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.fineprune.core.ImageShape;
import org.fineprune.core.testing.SharedCsaw;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Pastes the real CSAW-HackML-2019 sunglasses ({@code triggers/sunglasses_2019.png} of the shared
 * csaw folder, see {@link SharedCsaw}) where that competition put them.
 */
@Tag("real-data")
class ImagePatchTriggerRealDataTest {
    @Test
    void sunglasses_at_row_15_change_only_rows_15_to_34_of_a_face() throws IOException {
        ImagePatchTrigger sunglasses = ImagePatchTrigger.read(
                SharedCsaw.file("triggers/sunglasses_2019.png"), 15, 0);
        assertEquals(20, sunglasses.rows());
        assertEquals(47, sunglasses.cols());

        ImageShape face = ImageShape.DEEPID;
        float[] original = TestImages.ramp(face, 1);
        float[] image = original.clone();
        sunglasses.apply(image, face);

        int changed = 0;
        for (int ch = 0; ch < 3; ch++) {
            for (int r = 0; r < face.height(); r++) {
                for (int c = 0; c < face.width(); c++) {
                    int i = index(face, ch, r, c);
                    if (image[i] != original[i]) {
                        assertTrue(r >= 15 && r <= 34, "changed pixel at row " + r);
                        changed++;
                    }
                }
            }
        }
        int opaque = 0;
        int transparent = 0;
        for (float a : sunglasses.alpha()) {
            opaque += a == 1f ? 1 : 0;
            transparent += a == 0f ? 1 : 0;
        }
        assertTrue(opaque > 0 && transparent > 0,
                "the sunglasses have opaque and transparent pixels: " + opaque + ", " + transparent);
        assertTrue(changed >= opaque, changed + " values changed for " + opaque
                + " opaque pixels");
    }
}
