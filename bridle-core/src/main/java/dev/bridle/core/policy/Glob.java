package dev.bridle.core.policy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** Globs over names: {@code *} any run of characters, {@code ?} one; case-sensitive. */
public final class Glob {

  private static final Map<String, Pattern> CACHE = new ConcurrentHashMap<>();

  private Glob() {}

  public static boolean matches(String glob, String value) {
    if (glob.equals("*")) {
      return true;
    }
    if (glob.indexOf('*') < 0 && glob.indexOf('?') < 0) {
      return glob.equals(value);
    }
    return CACHE.computeIfAbsent(glob, Glob::compile).matcher(value).matches();
  }

  private static Pattern compile(String glob) {
    StringBuilder regex = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (char c : glob.toCharArray()) {
      if (c == '*' || c == '?') {
        if (!literal.isEmpty()) {
          regex.append(Pattern.quote(literal.toString()));
          literal.setLength(0);
        }
        regex.append(c == '*' ? ".*" : ".");
      } else {
        literal.append(c);
      }
    }
    if (!literal.isEmpty()) {
      regex.append(Pattern.quote(literal.toString()));
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }
}
