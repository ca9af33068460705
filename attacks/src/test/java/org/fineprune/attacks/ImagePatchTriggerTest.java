package org.fineprune.attacks;

import static org.fineprune.attacks.TestImages.index;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.fineprune.core.DataFormatException;
import org.fineprune.core.ImageShape;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagePatchTriggerTest {
    private static final ImageShape RGB = new ImageShape(3, 4, 5);

    @TempDir
    Path dir;
    private Path png;

    /**
     * A 3-column, 2-row RGBA patch: row 0 is transparent red, opaque green, half-opaque blue
     * (alpha 128); row 1 is opaque (200, 100, 50), transparent white, opaque black.
     */
    @BeforeEach
    void writePatch() throws IOException {
        BufferedImage image = new BufferedImage(3, 2, BufferedImage.TYPE_INT_ARGB);
        image.setRGB(0, 0, 0x00FF0000);
        image.setRGB(1, 0, 0xFF00FF00);
        image.setRGB(2, 0, 0x800000FF);
        image.setRGB(0, 1, 0xFFC86432);
        image.setRGB(1, 1, 0x00FFFFFF);
        image.setRGB(2, 1, 0xFF000000);
        png = dir.resolve("patch.png");
        assertTrue(ImageIO.write(image, "png", png.toFile()));
    }

    @Test
    void reads_colour_and_alpha_of_an_rgba_png() throws IOException {
        ImagePatchTrigger patch = ImagePatchTrigger.read(png, 1, 1);

        assertEquals("patch.png", patch.name());
        assertEquals(2, patch.rows());
        assertEquals(3, patch.cols());
        assertArrayEquals(new float[] {255, 0, 0, 200, 255, 0, // R plane
            0, 255, 0, 100, 255, 0, // G plane
            0, 0, 255, 50, 255, 0}, // B plane
                patch.rgb());
        assertArrayEquals(new float[] {0, 1, 128 / 255f, 1, 0, 1}, patch.alpha());
    }

    @Test
    void transparent_pixels_leave_the_image_and_opaque_ones_replace_it() throws IOException {
        float[] original = TestImages.ramp(RGB, 1);
        float[] image = original.clone();

        ImagePatchTrigger.read(png, 1, 1).apply(image, RGB);

        float[][] opaque = {{0, 255, 0}, {200, 100, 50}, {0, 0, 0}}; // RGB of the opaque pixels
        int[][] opaqueAt = {{1, 2}, {2, 1}, {2, 3}}; // their image rows and columns
        double a = 128 / 255f;
        for (int ch = 0; ch < 3; ch++) {
            for (int r = 0; r < 4; r++) {
                for (int c = 0; c < 5; c++) {
                    int i = index(RGB, ch, r, c);
                    float expected = original[i];
                    for (int k = 0; k < opaqueAt.length; k++) {
                        if (opaqueAt[k][0] == r && opaqueAt[k][1] == c) {
                            expected = opaque[k][ch];
                        }
                    }
                    if (r == 1 && c == 3) {
                        expected = (float) (a * (ch == 2 ? 255 : 0) + (1 - a) * original[i]);
                    }
                    assertEquals(expected, image[i], ch + "," + r + "," + c);
                }
            }
        }
    }

    @Test
    void a_grey_image_takes_the_patch_luminance() throws IOException {
        ImageShape grey = new ImageShape(1, 2, 3);
        float[] original = TestImages.ramp(grey, 1);
        float[] image = original.clone();

        ImagePatchTrigger.read(png, 0, 0).apply(image, grey);

        assertEquals(original[0], image[0], "transparent");
        assertEquals(0.587f * 255, image[1], 1e-4f, "opaque green");
        assertEquals((float) (0.299 * 200 + 0.587 * 100 + 0.114 * 50), image[3], 1e-4f);
        assertEquals(0f, image[5], "opaque black");
    }

    @Test
    void a_png_without_alpha_is_opaque_and_grey_samples_are_read_as_stored() throws IOException {
        BufferedImage greyImage = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        greyImage.getRaster().setSample(0, 0, 0, 100);
        greyImage.getRaster().setSample(1, 0, 0, 255);
        Path file = dir.resolve("grey.png");
        ImageIO.write(greyImage, "png", file.toFile());

        ImagePatchTrigger patch = ImagePatchTrigger.read(file, 0, 0);

        assertArrayEquals(new float[] {100, 255, 100, 255, 100, 255}, patch.rgb());
        assertArrayEquals(new float[] {1, 1}, patch.alpha());
    }

    @Test
    void negative_positions_count_from_the_bottom_and_right() throws IOException {
        float[] image = TestImages.ramp(RGB, 1);

        ImagePatchTrigger.read(png, -2, -3).apply(image, RGB);

        assertEquals(200f, image[index(RGB, 0, 3, 2)], "opaque (200,100,50) at the bottom row");
    }

    @Test
    void a_patch_outside_the_image_is_refused_naming_the_file() throws IOException {
        ImagePatchTrigger patch = ImagePatchTrigger.read(png, 3, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> patch.apply(new float[RGB.size()], RGB));
        assertTrue(e.getMessage().startsWith("patch.png"), e.getMessage());
        assertTrue(e.getMessage().contains("row 3, col 0"), e.getMessage());
    }

    @Test
    void an_image_of_other_than_1_or_3_channels_is_refused() throws IOException {
        ImageShape two = new ImageShape(2, 4, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImagePatchTrigger.read(png, 0, 0).apply(new float[two.size()], two));
        assertTrue(e.getMessage().contains("2x4x5"), e.getMessage());
    }

    @Test
    void a_missing_or_unreadable_file_is_named() throws IOException {
        Path missing = dir.resolve("missing.png");
        NoSuchFileException gone = assertThrows(NoSuchFileException.class,
                () -> ImagePatchTrigger.read(missing, 0, 0));
        assertTrue(gone.getMessage().contains(missing.toString()), gone.getMessage());

        Path text = Files.writeString(dir.resolve("text.png"), "not an image");
        DataFormatException bad = assertThrows(DataFormatException.class,
                () -> ImagePatchTrigger.read(text, 0, 0));
        assertTrue(bad.getMessage().startsWith(text.toString()), bad.getMessage());
    }

    @Test
    void invalid_arrays_are_refused_naming_the_value() {
        IllegalArgumentException alpha = assertThrows(IllegalArgumentException.class,
                () -> new ImagePatchTrigger("p", 1, 1, new float[3], new float[] {1.5f}, 0, 0));
        assertTrue(alpha.getMessage().contains("1.5"), alpha.getMessage());
        IllegalArgumentException colour = assertThrows(IllegalArgumentException.class,
                () -> new ImagePatchTrigger("p", 1, 1, new float[] {0, -1, 0}, new float[1], 0,
                        0));
        assertTrue(colour.getMessage().contains("-1.0"), colour.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new ImagePatchTrigger("p", 1, 2, new float[3], new float[1], 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new ImagePatchTrigger(" ", 1, 1, new float[3], new float[1], 0, 0));
    }

    @Test
    void the_description_depends_on_pixels_and_position() throws IOException {
        ImagePatchTrigger patch = ImagePatchTrigger.read(png, 1, 1);
        assertEquals(patch.describe(), ImagePatchTrigger.read(png, 1, 1).describe());
        assertEquals(patch, ImagePatchTrigger.read(png, 1, 1));
        assertTrue(patch.describe().startsWith("patch(patch.png 2x3 at row 1, col 1, rgba sha256:"),
                patch.describe());
        assertNotEquals(patch.describe(), ImagePatchTrigger.read(png, 0, 1).describe());
        float[] alpha = patch.alpha();
        alpha[0] = 0.5f;
        ImagePatchTrigger changed = new ImagePatchTrigger(patch.name(), 2, 3, patch.rgb(), alpha,
                1, 1);
        assertNotEquals(patch.describe(), changed.describe());
    }
}
