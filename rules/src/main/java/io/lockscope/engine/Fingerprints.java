package io.lockscope.engine;

import io.lockscope.model.Frame;
import io.lockscope.model.JvmThread;
import java.util.regex.Pattern;

/** The parts a finding's fingerprint is made of, stable from one dump and one run to the next. */
public final class Fingerprints {

    private static final Pattern DIGITS = Pattern.compile("\\d+");
    private static final Pattern LAMBDA = Pattern.compile("\\$\\$Lambda[$/].*");

    private Fingerprints() {
    }

    /** "pool-3-thread-17" and "pool-1-thread-2" are the same kind of thread. */
    public static String threadPattern(String name) {
        return DIGITS.matcher(name).replaceAll("#");
    }

    /** A frame's method without the JVM-generated parts that change from run to run. */
    public static String method(Frame f) {
        return LAMBDA.matcher(f.method()).replaceAll("\\$\\$Lambda");
    }

    /** The innermost frame that is the thread's own code: the first with a lock line, or the top. */
    public static String topFrame(JvmThread t) {
        return t.frames().stream().filter(f -> !f.locks().isEmpty()).findFirst()
                .or(() -> t.topFrame()).map(Fingerprints::method).orElse("?");
    }
}
