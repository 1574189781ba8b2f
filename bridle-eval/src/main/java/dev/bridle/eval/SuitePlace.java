package dev.bridle.eval;

import java.util.Optional;

/**
 * Where in a suite a value was read from: the file (with its line, for JSON Lines), the case, and
 * for a case made from a template, which template row made it.
 */
record SuitePlace(String file, Optional<String> caseId, Optional<String> origin) {

  static SuitePlace file(String file) {
    return new SuitePlace(file, Optional.empty(), Optional.empty());
  }

  SuitePlace inCase(String id) {
    return new SuitePlace(file, Optional.of(id), origin);
  }

  SuitePlace from(String templateRow) {
    return new SuitePlace(file, caseId, Optional.of(templateRow));
  }

  SuiteException problem(String key, String problem) {
    return problem(key, problem, null);
  }

  SuiteException problem(String key, String problem, Throwable cause) {
    StringBuilder message = new StringBuilder(file);
    caseId.ifPresent(id -> message.append(": case '").append(id).append('\''));
    origin.ifPresent(o -> message.append(caseId.isPresent() ? " (" + o + ")" : ": " + o));
    if (!key.isEmpty()) {
      message.append(": ").append(key);
    }
    message.append(": ").append(problem);
    return new SuiteException(message.toString(), file, caseId, key, cause);
  }
}
