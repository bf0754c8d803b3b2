package io.lockscope.model;

/**
 * Whether a snapshot shows a kind of fact at all. Unknown is not none: a dump that does not list
 * owners of java.util.concurrent locks says nothing about who owns them.
 */
public enum Visibility {
    SHOWN, NOT_SHOWN;

    public boolean shown() {
        return this == SHOWN;
    }
}
