package dev.bridle.testkit;

import java.time.Duration;

/** The command line of {@link FakeOpenAiServer#main(String[])}. */
record ServerArguments(String host, int port, Duration latency, int steps) {

  static final String USAGE =
      "usage: FakeOpenAiServer [--host 127.0.0.1] [--port 0] [--latency-ms 0] [--steps 5]";

  static ServerArguments parse(String[] args) {
    String host = "127.0.0.1";
    int port = 0;
    long latencyMillis = 0;
    int steps = 5;
    for (int index = 0; index < args.length; index += 2) {
      String option = args[index];
      if (index + 1 >= args.length) {
        throw new IllegalArgumentException("option " + option + " needs a value");
      }
      String value = args[index + 1];
      switch (option) {
        case "--host" -> host = value;
        case "--port" -> port = integer(option, value, 0, 65_535);
        case "--latency-ms" -> latencyMillis = integer(option, value, 0, Integer.MAX_VALUE);
        case "--steps" -> steps = integer(option, value, 0, Integer.MAX_VALUE);
        default -> throw new IllegalArgumentException("unknown option " + option);
      }
    }
    return new ServerArguments(host, port, Duration.ofMillis(latencyMillis), steps);
  }

  private static int integer(String option, String value, int min, int max) {
    int parsed;
    try {
      parsed = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          option + " must be an integer, but was '" + value + "'", e);
    }
    if (parsed < min || parsed > max) {
      throw new IllegalArgumentException(
          option + " must be between " + min + " and " + max + ", but was " + parsed);
    }
    return parsed;
  }
}
