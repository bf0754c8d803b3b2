package io.lockscope.engine;

/** How a count reads in the reports' sentences. */
public final class Words {

    private Words() {
    }

    /** {@code 1 dump}, {@code 3 dumps}: a count and its word, plural with an s where the count is not one. */
    public static String count(long n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }
}
