package dev.bridle.core.guard;

import dev.bridle.core.ConfigurationException;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/** Setting checks and message formatting shared by the built-in guards. */
final class GuardSettings {

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

  private GuardSettings() {}

  static String requireName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new ConfigurationException(
          "a guard name must be 1 to 64 lower-case letters, digits, '-', '_' or '.', starting with"
              + " a letter or digit, but was '"
              + name
              + "'");
    }
    return name;
  }

  static Set<GuardStage> requireStages(String guard, Collection<GuardStage> stages) {
    if (stages.isEmpty()) {
      throw new ConfigurationException("guard '" + guard + "': stages must not be empty");
    }
    return Set.copyOf(EnumSet.copyOf(stages));
  }

  static Set<GuardStage> requireStages(
      String guard, Collection<GuardStage> stages, Set<GuardStage> allowed) {
    Set<GuardStage> result = requireStages(guard, stages);
    for (GuardStage stage : result) {
      if (!allowed.contains(stage)) {
        throw new ConfigurationException(
            "guard '"
                + guard
                + "' cannot look at stage "
                + stage.configName()
                + "; it supports "
                + allowed.stream()
                    .sorted()
                    .map(GuardStage::configName)
                    .collect(Collectors.joining(", ")));
      }
    }
    return result;
  }

  static Pattern compile(String guard, String what, String regex, int flags) {
    try {
      return Pattern.compile(regex, flags);
    } catch (PatternSyntaxException e) {
      throw new ConfigurationException(
          "guard '"
              + guard
              + "': "
              + what
              + " '"
              + regex
              + "' is not a valid regular expression: "
              + e.getDescription()
              + " near index "
              + e.getIndex(),
          e);
    }
  }

  /** At most {@code max} items joined by ", ", then "and N more". */
  static String list(Collection<String> items, int max) {
    String shown = items.stream().limit(max).collect(Collectors.joining(", "));
    return items.size() > max ? shown + " and " + (items.size() - max) + " more" : shown;
  }

  /** {@code value} in quotes, cut to {@code max} characters. */
  static String quote(String value, int max) {
    String cut = value.length() <= max ? value : value.substring(0, max) + "…";
    return "'" + cut.replace('\n', ' ').replace('\r', ' ') + "'";
  }
}
