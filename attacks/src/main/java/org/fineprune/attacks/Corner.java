package org.fineprune.attacks;

/** A corner of an image, where {@link PatternTrigger#checkerboard} places its pattern. */
public enum Corner {
    /** Row 0, column 0. */
    TOP_LEFT(false, false),
    /** Row 0, the last column. */
    TOP_RIGHT(false, true),
    /** The last row, column 0. */
    BOTTOM_LEFT(true, false),
    /** The last row and the last column: BadNets' corner. */
    BOTTOM_RIGHT(true, true);

    private final boolean bottom;
    private final boolean right;

    Corner(boolean bottom, boolean right) {
        this.bottom = bottom;
        this.right = right;
    }

    /**
     * The row of a pattern {@code size} rows high, {@code margin} rows from this corner's edge, in
     * the convention of {@link PatternTrigger#row()}: negative rows count from the bottom.
     */
    int row(int size, int margin) {
        return bottom ? -size - margin : margin;
    }

    /** As {@link #row}, for columns: negative columns count from the right. */
    int col(int size, int margin) {
        return right ? -size - margin : margin;
    }
}
