package dev.bridle.core.guard;

/**
 * A {@link CharSequence} that gives up after a fixed number of character reads, so that a
 * configured regular expression with catastrophic backtracking cannot stall a run on hostile input.
 * The budget is generous: linear patterns read each character a handful of times.
 */
final class BoundedText implements CharSequence {

  /** Reads allowed per character of input, plus a fixed allowance for short inputs. */
  private static final long READS_PER_CHAR = 1_000;

  private static final long BASE_READS = 1_000_000;

  private final String text;
  private final String what;
  private final long[] reads;
  private final long budget;
  private final int offset;
  private final int length;

  private BoundedText(String text, String what, long[] reads, long budget, int offset, int length) {
    this.text = text;
    this.what = what;
    this.reads = reads;
    this.budget = budget;
    this.offset = offset;
    this.length = length;
  }

  /** {@code text} guarded for matching by {@code what} (named in the error, e.g. a pattern). */
  static BoundedText of(String text, String what) {
    return new BoundedText(
        text, what, new long[1], BASE_READS + READS_PER_CHAR * text.length(), 0, text.length());
  }

  /**
   * One budget for several texts of {@code chars} characters in all, so that matching a pattern
   * against many small pieces (the values of tool arguments) is bounded like matching it once.
   */
  static Budget budget(long chars) {
    return new Budget(new long[1], BASE_READS + READS_PER_CHAR * chars);
  }

  /** Reads shared by the texts made with {@link #of(String, String)}. */
  record Budget(long[] reads, long limit) {

    /** {@code text} guarded by this budget. */
    BoundedText of(String text, String what) {
      return new BoundedText(text, what, reads, limit, 0, text.length());
    }
  }

  @Override
  public char charAt(int index) {
    if (++reads[0] > budget) {
      throw new IllegalStateException(
          what + " took too long on a text of " + text.length() + " characters and was stopped");
    }
    return text.charAt(offset + index);
  }

  @Override
  public int length() {
    return length;
  }

  @Override
  public CharSequence subSequence(int start, int end) {
    return new BoundedText(text, what, reads, budget, offset + start, end - start);
  }

  @Override
  public String toString() {
    return text.substring(offset, offset + length);
  }
}
