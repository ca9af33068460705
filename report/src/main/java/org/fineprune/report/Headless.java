package org.fineprune.report;

/** Makes AWT headless before the first chart, unless the application chose otherwise. */
final class Headless {
    private Headless() {}

    /** Sets {@code java.awt.headless=true} when the property is not set: plots need no display. */
    static void ensure() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }
}
