package io.lockscope.engine;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A rule's metadata, next to its code. The id is a public contract: JSON, SARIF, baselines. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface RuleMeta {
    String id();

    String summary();

    Severity severity();

    Input[] needs();

    /** What to do about a finding of this rule, unless its {@link Problem} says something more particular. */
    String hint() default "";
}
