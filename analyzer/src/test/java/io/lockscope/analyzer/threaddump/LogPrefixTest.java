package io.lockscope.analyzer.threaddump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The prefix a log puts before each line, learned from a "Full thread dump" line and taken off the
 * lines of the same shape. The real case is {@code PodLogTest}'s (containerd); these are the shapes
 * of other logs a dump printed on kill -3 ends up in.
 */
class LogPrefixTest {

    private static final String HEADER = "Full thread dump OpenJDK 64-Bit Server VM (17.0.15+6-Debian-1deb12u1 mixed mode, sharing):";

    @ParameterizedTest
    @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, value = {
        // containerd's CRI log: a fraction's trailing zeros dropped, all of it when zero, and the space after F on an empty line
        "2026-12-07T15:14:30.003461Z stdout F |2026-12-07T15:14:30.01Z stdout F |2026-12-07T15:14:31Z stdout F",
        // kubectl logs --timestamps
        "2026-12-07T15:14:30.003461927Z |2026-12-07T15:14:30.1Z |2026-12-07T15:14:31.000000001Z ",
        // journald's short format
        "Dec 07 15:14:30 web-01 java[4711]: |Dec 07 15:14:30 web-01 java[4711]: |Dec 07 15:14:31 web-01 java[4711]:",
        // WebSphere's SystemOut.log: the thread id is hex
        "[12/7/26 15:14:30:003 UTC] 0000004a SystemOut     O |[12/7/26 15:14:30:012 UTC] 0000004b SystemOut     O |[12/7/26 15:14:31:000 UTC] 0000004a SystemOut     O "})
    void takesOffThePrefixOfEveryLineOfTheSameShape(String learned, String other, String empty) {
        LogPrefix prefix = new LogPrefix();
        assertEquals(learned + "\"main\" #1 prio=5", prefix.strip(learned + "\"main\" #1 prio=5"), "nothing learned yet");
        assertEquals(HEADER, prefix.strip(learned + HEADER));
        assertEquals("", prefix.learnedFrom(), "not yet seen on a line after it");
        // the reader strips each line anyway: a frame's tab and a state's indentation may go with the prefix
        assertEquals("at java.lang.Thread.sleep(java.base@17.0.15/Native Method)",
                prefix.strip(other + "\tat java.lang.Thread.sleep(java.base@17.0.15/Native Method)").strip());
        assertEquals("java.lang.Thread.State: BLOCKED (on object monitor)",
                prefix.strip(other + "   java.lang.Thread.State: BLOCKED (on object monitor)").strip());
        assertEquals(learned.strip(), prefix.learnedFrom());
        assertEquals("", prefix.strip(empty).strip());
        // another shape (another stream, another process's line) is left as it is
        assertEquals("ERROR [main] something else", prefix.strip("ERROR [main] something else"));
    }

    @Test
    void theLineBeforeTheFirstDumpIsReadAgainWithoutThePrefix() {
        LogPrefix prefix = new LogPrefix();
        prefix.strip("2026-12-07T15:14:29.985479Z stdout F READY");
        prefix.strip("2026-12-07T15:14:30.003309Z stdout F 2026-12-07 15:14:29");
        assertNull(prefix.lineBeforeLearning());
        prefix.strip("2026-12-07T15:14:30.003461Z stdout F " + HEADER);
        assertEquals("2026-12-07 15:14:29", prefix.lineBeforeLearning());
        prefix.strip("2026-12-07T15:14:30.003541Z stdout F ");
        assertNull(prefix.lineBeforeLearning(), "only right after learning");
    }

    @Test
    void aDumpAtTheStartOfItsLinesForgetsThePrefix() {
        LogPrefix prefix = new LogPrefix();
        prefix.strip("2026-12-07T15:14:30.003461Z stdout F " + HEADER);
        assertEquals("\"main\" #1", prefix.strip("2026-12-07T15:14:30.1Z stdout F \"main\" #1"));
        assertEquals(HEADER, prefix.strip(HEADER));
        assertEquals("2026-12-07T15:14:30.1Z stdout F \"main\" #1", prefix.strip("2026-12-07T15:14:30.1Z stdout F \"main\" #1"));
    }

    @Test
    void textGluedBeforeADumpOnceIsNoPrefix() {
        // a file whose last line has no line end, and a dump after it: "JNI global refs: 10, weak refs: 0Full thread dump ..."
        LogPrefix prefix = new LogPrefix();
        assertEquals(HEADER, prefix.strip("JNI global refs: 10, weak refs: 0" + HEADER));
        assertEquals("\"main\" prio=5 tid=0x00035fd8 nid=0xd03 waiting on condition [1..2]",
                prefix.strip("\"main\" prio=5 tid=0x00035fd8 nid=0xd03 waiting on condition [1..2]"));
        assertEquals("", prefix.learnedFrom());
        // forgotten: a later line that happens to start the same way keeps its text
        assertEquals("JNI global refs: 12, weak refs: 0", prefix.strip("JNI global refs: 12, weak refs: 0"));
    }
}
