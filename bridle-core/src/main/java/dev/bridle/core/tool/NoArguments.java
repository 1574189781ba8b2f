package dev.bridle.core.tool;

/** The argument type of a tool that takes no arguments. */
public record NoArguments() {}
