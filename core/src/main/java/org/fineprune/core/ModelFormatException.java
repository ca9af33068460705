package org.fineprune.core;

/** A weights file that does not hold the expected model: missing layer, wrong shape, NaN weights. */
public final class ModelFormatException extends FinepruneException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception whose message names the file and the problem. */
    public ModelFormatException(String message) {
        super(message);
    }

    /** Creates an exception whose message names the file and the problem, with its cause. */
    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
