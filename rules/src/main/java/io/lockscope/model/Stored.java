package io.lockscope.model;

/**
 * A list kept outside the heap and read back on demand: immutable, so the model's records take
 * it as it is instead of copying it (a copy would read it all back into the heap). A long log of
 * thread dumps keeps its snapshots' threads so, and its memory stays bounded.
 */
public interface Stored {
}
