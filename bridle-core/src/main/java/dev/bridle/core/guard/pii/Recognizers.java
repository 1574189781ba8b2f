package dev.bridle.core.guard.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The standard recognizer for each {@link PiiType}. */
final class Recognizers {

  private Recognizers() {}

  static List<Recognizer> standard(double entropyThreshold, int minTokenLength) {
    List<Recognizer> all = new ArrayList<>();
    all.add(new PrivateKey());
    all.add(Recognizer.Regex.of(PiiType.JWT, JWT));
    all.add(Recognizer.Regex.of(PiiType.API_KEY, API_KEY));
    all.add(Recognizer.Regex.of(PiiType.CREDIT_CARD, CARD, Recognizers::validCard));
    all.add(new Iban());
    all.add(Recognizer.Regex.of(PiiType.US_SSN, SSN, Recognizers::validSsn));
    all.add(
        Recognizer.Regex.of(PiiType.CRYPTO, BASE58_ADDRESS, m -> Checksums.base58Check(m.group())));
    all.add(Recognizer.Regex.of(PiiType.CRYPTO, BECH32_ADDRESS, m -> Checksums.bech32(m.group())));
    all.add(Recognizer.Regex.of(PiiType.EMAIL, EMAIL));
    all.add(new Url());
    all.add(Recognizer.Regex.of(PiiType.IP_ADDRESS, IPV4));
    all.add(new Ipv6());
    all.add(
        Recognizer.Regex.of(
            PiiType.PHONE, PHONE_INTERNATIONAL, m -> digitsBetween(m.group(), 8, 15)));
    all.add(
        Recognizer.Regex.of(PiiType.PHONE, PHONE_NATIONAL, m -> digitsBetween(m.group(), 9, 12)));
    all.add(new HighEntropy(entropyThreshold, minTokenLength));
    return all;
  }

  // --- secrets --------------------------------------------------------------------------------

  private static final String JWT =
      "(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{4,}+\\.eyJ[A-Za-z0-9_-]{4,}+\\.[A-Za-z0-9_-]{8,}+";

  private static final String API_KEY =
      "(?<![A-Za-z0-9_-])(?:"
          + "(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])"
          + "|gh[pousr]_[A-Za-z0-9]{36,251}+"
          + "|github_pat_[A-Za-z0-9_]{22,244}+"
          + "|xox[abposr]-[A-Za-z0-9-]{10,250}+"
          + "|sk-(?:proj-)?[A-Za-z0-9_-]{20,250}+"
          + "|(?:sk|rk)_live_[A-Za-z0-9]{16,247}+"
          + "|AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])"
          + ")";

  /** A PEM private key: the whole block when its END line follows, else the BEGIN line. */
  static final class PrivateKey implements Recognizer {
    private static final Pattern BEGIN =
        Pattern.compile("-----BEGIN ((?:[A-Z0-9]{1,20} ){0,3})PRIVATE KEY-----");

    @Override
    public PiiType type() {
      return PiiType.PRIVATE_KEY;
    }

    @Override
    public void scan(String text, List<PiiFinding> sink) {
      Matcher m = BEGIN.matcher(text);
      int from = 0;
      while (from < text.length() && m.find(from)) {
        String endLine = "-----END " + m.group(1) + "PRIVATE KEY-----";
        int end = text.indexOf(endLine, m.end());
        int next = text.indexOf("-----BEGIN ", m.end());
        int stop = end >= 0 && (next < 0 || end < next) ? end + endLine.length() : m.end();
        sink.add(new PiiFinding(PiiType.PRIVATE_KEY, m.start(), stop));
        from = stop;
      }
    }
  }

  // --- financial and national identifiers ------------------------------------------------------

  private static final String CARD =
      "(?<![\\d-])(?:\\d{13,19}|\\d{4}([ -])\\d{4,6}\\1\\d{4,5}(?:\\1\\d{1,4}){0,2})(?![\\d]|-\\d)";

  private static boolean validCard(Matcher m) {
    String digits = m.group().replaceAll("[ -]", "");
    return digits.length() >= 13
        && digits.length() <= 19
        && !digits.chars().allMatch(c -> c == digits.charAt(0))
        && Checksums.luhn(digits);
  }

  private static final String SSN =
      "(?<![\\d.-])(\\d{3})([- .])(\\d{2})\\2(\\d{4})(?![\\d]|[.-]\\d)";

  /** Published sample numbers that were never anyone's (Woolworth wallet card, 1940s ad). */
  private static final Set<String> SAMPLE_SSNS = Set.of("078051120", "219099999");

  private static boolean validSsn(Matcher m) {
    String area = m.group(1);
    String group = m.group(3);
    String serial = m.group(4);
    return !area.equals("000")
        && !area.equals("666")
        && area.charAt(0) != '9'
        && !group.equals("00")
        && !serial.equals("0000")
        && !SAMPLE_SSNS.contains(area + group + serial);
  }

  /** An IBAN, compact or in groups of four separated by single spaces, upper case only. */
  static final class Iban implements Recognizer {
    private static final Pattern START = Pattern.compile("(?<![A-Za-z0-9])([A-Z]{2})\\d{2}");

    @Override
    public PiiType type() {
      return PiiType.IBAN;
    }

    @Override
    public void scan(String text, List<PiiFinding> sink) {
      Matcher m = START.matcher(text);
      int from = 0;
      while (from < text.length() && m.find(from)) {
        Integer length = Checksums.IBAN_LENGTHS.get(m.group(1));
        int end = length == null ? -1 : endOf(text, m.start(), length);
        if (end > 0) {
          sink.add(new PiiFinding(PiiType.IBAN, m.start(), end));
          from = end;
        } else {
          from = m.start() + 1;
        }
      }
    }

    private static int endOf(String text, int start, int length) {
      StringBuilder compact = new StringBuilder(length);
      int i = start;
      while (compact.length() < length && i < text.length()) {
        char c = text.charAt(i);
        if (c == ' ' && compact.length() % 4 == 0 && compact.length() > 0) {
          i++;
          continue;
        }
        if (!(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')) {
          return -1;
        }
        compact.append(c);
        i++;
      }
      if (compact.length() < length
          || i < text.length() && Character.isLetterOrDigit(text.charAt(i))
          || text.charAt(i - 1) == ' ') {
        return -1;
      }
      return Checksums.ibanMod97(compact.toString()) ? i : -1;
    }
  }

  private static final String BASE58_ADDRESS =
      "(?<![A-Za-z0-9])[13][1-9A-HJ-NP-Za-km-z]{25,34}+(?![A-Za-z0-9])";

  private static final String BECH32_ADDRESS =
      "(?<![A-Za-z0-9])(?:bc1[ac-hj-np-z02-9]{11,71}+|BC1[AC-HJ-NP-Z02-9]{11,71}+)(?![A-Za-z0-9])";

  // --- contact details and network addresses --------------------------------------------------

  private static final String EMAIL =
      "(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}+@(?:[A-Za-z0-9-]{1,63}+\\.(?=[A-Za-z0-9])){1,8}+"
          + "[A-Za-z][A-Za-z0-9-]{0,62}+(?<!-)(?![A-Za-z0-9-])";

  /** http, https or www URL whose host is a dotted name; trailing punctuation is left out. */
  static final class Url implements Recognizer {
    private static final Pattern URL =
        Pattern.compile(
            "(?i)(?<![A-Za-z0-9.])(?:https?://(?:www\\.)?|www\\.)(?:[a-z0-9-]{1,63}+\\.){1,10}+"
                + "[a-z][a-z0-9-]{0,62}+(?::\\d{1,5})?(?:[/?#][^\\s<>\"'`]{0,2048}+)?");

    @Override
    public PiiType type() {
      return PiiType.URL;
    }

    @Override
    public void scan(String text, List<PiiFinding> sink) {
      Matcher m = URL.matcher(text);
      while (m.find()) {
        int end = m.end();
        while (end > m.start() && ".,;:!?)]}".indexOf(text.charAt(end - 1)) >= 0) {
          end--;
        }
        sink.add(new PiiFinding(PiiType.URL, m.start(), end));
      }
    }
  }

  private static final String OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";

  private static final String IPV4 = "(?<![\\w.])" + OCTET + "(?:\\." + OCTET + "){3}(?![\\w])";

  /** IPv6 in full, compressed ({@code ::}) and IPv4-embedded forms, with an optional zone. */
  static final class Ipv6 implements Recognizer {
    private static final Pattern CANDIDATE =
        Pattern.compile(
            "(?<![\\w:.%])(?:[0-9A-Fa-f]{0,4}+:){2,7}+"
                + "(?:\\d{1,3}(?:\\.\\d{1,3}){3}|[0-9A-Fa-f]{0,4}+)(?:%[A-Za-z0-9]{1,16}+)?");

    @Override
    public PiiType type() {
      return PiiType.IP_ADDRESS;
    }

    @Override
    public void scan(String text, List<PiiFinding> sink) {
      Matcher m = CANDIDATE.matcher(text);
      while (m.find()) {
        int end = m.end();
        boolean clean =
            end == text.length()
                || !(Character.isLetterOrDigit(text.charAt(end))
                    || text.charAt(end) == ':'
                    || text.charAt(end) == '.'
                        && end + 1 < text.length()
                        && Character.isDigit(text.charAt(end + 1)));
        String address = m.group();
        int zone = address.indexOf('%');
        if (clean && valid(zone < 0 ? address : address.substring(0, zone))) {
          sink.add(new PiiFinding(PiiType.IP_ADDRESS, m.start(), end));
        }
      }
    }

    static boolean valid(String address) {
      int compressed = address.indexOf("::");
      if (compressed >= 0 && address.indexOf("::", compressed + 1) >= 0) {
        return false;
      }
      if (compressed < 0) {
        return groups(address, true) == 8;
      }
      String head = address.substring(0, compressed);
      String tail = address.substring(compressed + 2);
      int headGroups = head.isEmpty() ? 0 : groups(head, false);
      int tailGroups = tail.isEmpty() ? 0 : groups(tail, true);
      return headGroups >= 0 && tailGroups >= 0 && headGroups + tailGroups <= 7;
    }

    /** Number of 16-bit groups in a colon-separated run, or -1 when malformed. */
    private static int groups(String run, boolean ipv4Allowed) {
      String[] parts = run.split(":", -1);
      int count = 0;
      for (int i = 0; i < parts.length; i++) {
        String part = parts[i];
        if (part.contains(".")) {
          if (!ipv4Allowed
              || i != parts.length - 1
              || !part.matches(OCTET + "(?:\\." + OCTET + "){3}")) {
            return -1;
          }
          count += 2;
        } else if (part.isEmpty() || part.length() > 4) {
          return -1;
        } else {
          count++;
        }
      }
      return count;
    }
  }

  private static final String PHONE_INTERNATIONAL =
      "(?<![\\w+])\\+\\d{1,3}+(?:[ .-]?+(?:\\(\\d{1,4}+\\)|\\d{1,6}+)){1,7}+(?![\\d])";

  private static final String PHONE_NATIONAL =
      "(?<![\\w+.-])(?:"
          + "\\(\\d{2,4}\\) ?\\d{3,4}[- ]\\d{4}"
          + "|(?:\\d{1,3}-)?\\d{3}-\\d{3}-\\d{4}"
          + "|\\d{3}\\.\\d{3}\\.\\d{4}"
          + "|0\\d{1,4}-\\d{3,4}-\\d{4}"
          + "|0\\d{1,4} \\d{3,4} \\d{4}"
          + "|0\\d-\\d{7}"
          + "|0\\d{2,3}[ -]\\d{3}[ -]\\d{2}[ -]\\d{2}"
          + "|0[ -]?\\(\\d{3}\\)[ -]?\\d{3}[ -]?\\d{2}[ -]?\\d{2}"
          + ")(?![\\w]|[.-]\\d)";

  private static boolean digitsBetween(String text, int min, int max) {
    long digits = text.chars().filter(Character::isDigit).count();
    return digits >= min && digits <= max;
  }

  /**
   * A token of at least {@code minLength} characters from the base64/base64url/hex alphabet that
   * mixes upper case, lower case and digits and whose Shannon entropy is at least {@code threshold}
   * bits per character.
   */
  static final class HighEntropy implements Recognizer {
    /**
     * Runs of one character class: upper case (with the lower case that follows), lower, digits.
     */
    private static final Pattern SEGMENT =
        Pattern.compile("[A-Z]+[a-z]*+|[a-z]++|[0-9]++|[^A-Za-z0-9]++");

    private static final Pattern TOKEN =
        Pattern.compile("(?<![A-Za-z0-9_+/-])[A-Za-z0-9_+/-]{16,}+={0,2}+(?![A-Za-z0-9_+/=-])");

    private final double threshold;
    private final int minLength;

    HighEntropy(double threshold, int minLength) {
      this.threshold = threshold;
      this.minLength = minLength;
    }

    @Override
    public PiiType type() {
      return PiiType.HIGH_ENTROPY_TOKEN;
    }

    @Override
    public void scan(String text, List<PiiFinding> sink) {
      Matcher m = TOKEN.matcher(text);
      while (m.find()) {
        String token = m.group();
        if (token.length() >= minLength
            && token.chars().anyMatch(Character::isUpperCase)
            && token.chars().anyMatch(Character::isLowerCase)
            && token.chars().anyMatch(Character::isDigit)
            && !wordLike(token)
            && Checksums.shannonEntropy(token) >= threshold) {
          sink.add(new PiiFinding(PiiType.HIGH_ENTROPY_TOKEN, m.start(), m.end()));
        }
      }
    }

    /**
     * True for identifiers built from words, such as {@code AbstractSingletonProxyFactoryBean2} or
     * {@code Version2024ReleaseCandidate_Final}: every run of letters is at least three long. Their
     * entropy can pass the threshold, but random tokens switch case every one or two characters and
     * almost never consist of such runs.
     */
    static boolean wordLike(String token) {
      Matcher segment = SEGMENT.matcher(token);
      while (segment.find()) {
        char first = segment.group().charAt(0);
        if (Character.isLetter(first) && segment.group().length() < 3) {
          return false;
        }
      }
      return true;
    }
  }
}
