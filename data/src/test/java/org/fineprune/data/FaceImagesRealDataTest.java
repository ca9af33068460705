package org.fineprune.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.fineprune.core.BadNet;
import org.fineprune.core.Evaluation;
import org.fineprune.core.ModelOptions;
import org.fineprune.core.testing.SharedCsaw;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real faces of the shared csaw folder (see {@link SharedCsaw}) in the file formats users have. */
@Tag("real-data")
class FaceImagesRealDataTest {
    /** A clean face of identity 946 that the lab3 BadNet classifies right as PNG. */
    private static final String FACE = "images/clean/01544cb99113.png";
    private static final int LABEL = 946;

    @TempDir
    Path dir;

    @Test
    void a_cmyk_or_ycck_jpeg_face_is_classified_as_its_png() throws IOException {
        Path png = SharedCsaw.file(FACE);
        BufferedImage picture = ImageIO.read(png.toFile());
        List<Path> files = new ArrayList<>(List.of(png));
        for (CmykJpeg.Transform transform : CmykJpeg.Transform.values()) {
            files.add(CmykJpeg.write(picture, transform, dir.resolve(transform + ".jpg")));
        }

        try (BadNet net = BadNet.load(SharedCsaw.file("models/bd_weights.h5"), ModelOptions.defaults())) {
            int[] classes = Evaluation.classes(net, FaceImages.source(files), files.size());
            assertEquals(LABEL, classes[0], "the PNG itself");
            assertArrayEquals(new int[] {LABEL, LABEL, LABEL}, classes, "PNG, CMYK JPEG, YCCK JPEG");
        }
    }
}
