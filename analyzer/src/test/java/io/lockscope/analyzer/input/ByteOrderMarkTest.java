package io.lockscope.analyzer.input;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The turning of UTF-16 into UTF-8 as it is read, where it can go wrong: a character of two halves. */
class ByteOrderMarkTest {

    @Test
    void aSurrogatePairAcrossTwoReadsOfTheReaderStaysOneCharacter() throws Exception {
        // a thread name with an emoji whose halves fall on either side of the 8,192 characters read at a time
        for (int before = 8189; before <= 8192; before++) {
            String text = "a".repeat(before) + "\"worker-\uD83D\uDE00\" #1 prio=5\n" + "b".repeat(20_000);
            byte[] utf16 = ("\uFEFF" + text).getBytes(StandardCharsets.UTF_16LE);
            assertEquals(Optional.of(Detection.TextLayer.UTF16LE), ByteOrderMark.layer(utf16));
            try (InputStream in = ByteOrderMark.open(new ByteArrayInputStream(utf16), Detection.TextLayer.UTF16LE)) {
                assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), in.readAllBytes(), "split after " + before);
            }
        }
    }

    @Test
    void textWithoutAMarkIsReadAsItIs() throws Exception {
        byte[] plain = "Full thread dump OpenJDK 64-Bit Server VM (17.0.15+6-Debian-1deb12u1 mixed mode, sharing):\n"
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(Optional.empty(), ByteOrderMark.layer(plain));
        // no layer named, so the reader reads the stream as it is
        assertEquals(Set.of(), FormatDetector.detect(plain).layers());
        assertArrayEquals(plain, ByteOrderMark.head(plain));
    }
}
