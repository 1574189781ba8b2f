package dev.bridle.benchmarks.taubench;

/**
 * Evaluates the {@code calculate} tool's expressions: numbers, {@code + - * /}, parentheses and
 * spaces, with the usual precedence, in binary floating point. Anything else is refused with the
 * position of the first character that does not fit.
 */
final class Arithmetic {

  private final String text;
  private int position;

  private Arithmetic(String text) {
    this.text = text;
  }

  static double evaluate(String expression) {
    Arithmetic parser = new Arithmetic(expression);
    double value = parser.sum();
    parser.skipSpaces();
    if (parser.position < expression.length()) {
      throw parser.unexpected();
    }
    return value;
  }

  private double sum() {
    double value = product();
    while (true) {
      skipSpaces();
      if (accept('+')) {
        value += product();
      } else if (accept('-')) {
        value -= product();
      } else {
        return value;
      }
    }
  }

  private double product() {
    double value = factor();
    while (true) {
      skipSpaces();
      if (accept('*')) {
        value *= factor();
      } else if (accept('/')) {
        double divisor = factor();
        if (divisor == 0) {
          throw new RetailRefusal("division by zero");
        }
        value /= divisor;
      } else {
        return value;
      }
    }
  }

  private double factor() {
    skipSpaces();
    if (accept('-')) {
      return -factor();
    }
    if (accept('+')) {
      return factor();
    }
    if (accept('(')) {
      double value = sum();
      skipSpaces();
      if (!accept(')')) {
        throw unexpected();
      }
      return value;
    }
    int start = position;
    while (position < text.length()
        && (Character.isDigit(text.charAt(position)) || text.charAt(position) == '.')) {
      position++;
    }
    if (start == position) {
      throw unexpected();
    }
    try {
      return Double.parseDouble(text.substring(start, position));
    } catch (NumberFormatException e) {
      throw new RetailRefusal(
          "'" + text.substring(start, position) + "' at position " + start + " is not a number");
    }
  }

  private boolean accept(char c) {
    if (position < text.length() && text.charAt(position) == c) {
      position++;
      return true;
    }
    return false;
  }

  private void skipSpaces() {
    while (position < text.length() && text.charAt(position) == ' ') {
      position++;
    }
  }

  private RetailRefusal unexpected() {
    return new RetailRefusal(
        position < text.length()
            ? "unexpected '"
                + text.charAt(position)
                + "' at position "
                + position
                + " of the expression"
            : "the expression ends too early");
  }
}
