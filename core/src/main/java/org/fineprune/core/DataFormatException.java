package org.fineprune.core;

/** A data file or image that does not hold what was expected: shape, element type, label range. */
public final class DataFormatException extends FinepruneException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception whose message names the file and the problem. */
    public DataFormatException(String message) {
        super(message);
    }

    /** Creates an exception whose message names the file and the problem, with its cause. */
    public DataFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
