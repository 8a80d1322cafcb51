package io.metricsagent.reflection;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Kept in the class file only, as build-time tools' annotations are: reflection never sees it. */
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Audited {}
