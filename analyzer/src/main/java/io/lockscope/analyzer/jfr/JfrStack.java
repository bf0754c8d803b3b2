package io.lockscope.analyzer.jfr;

import io.lockscope.model.Frame;
import java.util.BitSet;
import java.util.List;

/**
 * A recorded stack, innermost frame first, and which of its frames are synchronized instance
 * methods: a thread in such a frame holds the monitor of that method's object.
 */
record JfrStack(List<Frame> frames, BitSet synchronizedMethods) {

    static final JfrStack EMPTY = new JfrStack(List.of(), new BitSet());

    /** ACC_SYNCHRONIZED and ACC_STATIC, as the JVM specification numbers a method's access flags. */
    static final int ACC_SYNCHRONIZED = 0x0020;
    static final int ACC_STATIC = 0x0008;

    static boolean synchronizedInstanceMethod(int modifiers) {
        return (modifiers & ACC_SYNCHRONIZED) != 0 && (modifiers & ACC_STATIC) == 0;
    }
}
