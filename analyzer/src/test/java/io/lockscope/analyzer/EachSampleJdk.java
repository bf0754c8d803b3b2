package io.lockscope.analyzer;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A test run once for each JDK that {@code sample-dumps/capture.sh} captures the scenarios on,
 * handed that JDK's folder ("jdk17", "jdk25"): the one place that list is written.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "{0}")
@ValueSource(strings = {"jdk17", "jdk25"})
public @interface EachSampleJdk {
}
