package dev.bridle.core.model;

/** Token usage of one or more model calls. Unknown counts are zero. */
public record Usage(long inputTokens, long outputTokens, long cachedInputTokens) {
  public static final Usage ZERO = new Usage(0, 0, 0);

  public Usage {
    if (inputTokens < 0 || outputTokens < 0 || cachedInputTokens < 0) {
      throw new IllegalArgumentException("token counts must not be negative");
    }
  }

  public Usage plus(Usage other) {
    return new Usage(
        inputTokens + other.inputTokens,
        outputTokens + other.outputTokens,
        cachedInputTokens + other.cachedInputTokens);
  }

  public long totalTokens() {
    return inputTokens + outputTokens;
  }
}
