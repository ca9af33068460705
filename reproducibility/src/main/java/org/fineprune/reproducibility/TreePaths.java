package org.fineprune.reproducibility;

/** Names of places in a record's tree, as in {@code metrics.repaired.clean_accuracy} or {@code order[3]}. */
final class TreePaths {
    private TreePaths() {}

    /** The path of {@code key} in the map at {@code parent}; the root's path is empty. */
    static String child(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    /** The path of element {@code index} of the list at {@code parent}. */
    static String element(String parent, int index) {
        return parent + "[" + index + "]";
    }
}
