package dev.bridle.core.guard.pii;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;

/** The check-digit algorithms that separate real identifiers from look-alikes. */
final class Checksums {

  private Checksums() {}

  /** Luhn (mod 10) over the digits of {@code digits}; other characters must be removed first. */
  static boolean luhn(String digits) {
    int sum = 0;
    boolean twice = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (twice) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      twice = !twice;
    }
    return sum % 10 == 0;
  }

  /** ISO 7064 mod-97-10 over a compact upper-case IBAN: remainder 1 means valid. */
  static boolean ibanMod97(String iban) {
    String rearranged = iban.substring(4) + iban.substring(0, 4);
    int remainder = 0;
    for (int i = 0; i < rearranged.length(); i++) {
      char c = rearranged.charAt(i);
      int value = Character.isDigit(c) ? c - '0' : c - 'A' + 10;
      remainder = value >= 10 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
    }
    return remainder == 1;
  }

  /** Registered IBAN lengths by country (SWIFT IBAN registry). */
  static final Map<String, Integer> IBAN_LENGTHS =
      Map.ofEntries(
          Map.entry("AD", 24),
          Map.entry("AE", 23),
          Map.entry("AL", 28),
          Map.entry("AT", 20),
          Map.entry("AZ", 28),
          Map.entry("BA", 20),
          Map.entry("BE", 16),
          Map.entry("BG", 22),
          Map.entry("BH", 22),
          Map.entry("BI", 27),
          Map.entry("BR", 29),
          Map.entry("BY", 28),
          Map.entry("CH", 21),
          Map.entry("CR", 22),
          Map.entry("CY", 28),
          Map.entry("CZ", 24),
          Map.entry("DE", 22),
          Map.entry("DJ", 27),
          Map.entry("DK", 18),
          Map.entry("DO", 28),
          Map.entry("EE", 20),
          Map.entry("EG", 29),
          Map.entry("ES", 24),
          Map.entry("FI", 18),
          Map.entry("FK", 18),
          Map.entry("FO", 18),
          Map.entry("FR", 27),
          Map.entry("GB", 22),
          Map.entry("GE", 22),
          Map.entry("GI", 23),
          Map.entry("GL", 18),
          Map.entry("GR", 27),
          Map.entry("GT", 28),
          Map.entry("HR", 21),
          Map.entry("HU", 28),
          Map.entry("IE", 22),
          Map.entry("IL", 23),
          Map.entry("IQ", 23),
          Map.entry("IS", 26),
          Map.entry("IT", 27),
          Map.entry("JO", 30),
          Map.entry("KW", 30),
          Map.entry("KZ", 20),
          Map.entry("LB", 28),
          Map.entry("LC", 32),
          Map.entry("LI", 21),
          Map.entry("LT", 20),
          Map.entry("LU", 20),
          Map.entry("LV", 21),
          Map.entry("LY", 25),
          Map.entry("MC", 27),
          Map.entry("MD", 24),
          Map.entry("ME", 22),
          Map.entry("MK", 19),
          Map.entry("MN", 20),
          Map.entry("MR", 27),
          Map.entry("MT", 31),
          Map.entry("MU", 30),
          Map.entry("NI", 28),
          Map.entry("NL", 18),
          Map.entry("NO", 15),
          Map.entry("OM", 23),
          Map.entry("PK", 24),
          Map.entry("PL", 28),
          Map.entry("PS", 29),
          Map.entry("PT", 25),
          Map.entry("QA", 29),
          Map.entry("RO", 24),
          Map.entry("RS", 22),
          Map.entry("RU", 33),
          Map.entry("SA", 24),
          Map.entry("SC", 31),
          Map.entry("SD", 18),
          Map.entry("SE", 24),
          Map.entry("SI", 19),
          Map.entry("SK", 24),
          Map.entry("SM", 27),
          Map.entry("SO", 23),
          Map.entry("ST", 25),
          Map.entry("SV", 28),
          Map.entry("TL", 23),
          Map.entry("TN", 24),
          Map.entry("TR", 26),
          Map.entry("UA", 29),
          Map.entry("VA", 22),
          Map.entry("VG", 24),
          Map.entry("XK", 20),
          Map.entry("YE", 30));

  private static final String BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  private static final BigInteger FIFTY_EIGHT = BigInteger.valueOf(58);

  /** Base58Check: 25 bytes whose last 4 are the first 4 of SHA-256(SHA-256(first 21)). */
  static boolean base58Check(String address) {
    BigInteger value = BigInteger.ZERO;
    for (int i = 0; i < address.length(); i++) {
      int digit = BASE58.indexOf(address.charAt(i));
      if (digit < 0) {
        return false;
      }
      value = value.multiply(FIFTY_EIGHT).add(BigInteger.valueOf(digit));
    }
    byte[] raw = value.toByteArray();
    int leadingOnes = 0;
    while (leadingOnes < address.length() && address.charAt(leadingOnes) == '1') {
      leadingOnes++;
    }
    int start = raw.length > 1 && raw[0] == 0 ? 1 : 0;
    int significant = raw.length - start;
    if (value.signum() == 0) {
      significant = 0;
    }
    if (leadingOnes + significant != 25) {
      return false;
    }
    byte[] bytes = new byte[25];
    System.arraycopy(raw, start, bytes, leadingOnes, significant);
    byte[] hash = sha256(sha256(Arrays.copyOf(bytes, 21)));
    return Arrays.equals(Arrays.copyOfRange(bytes, 21, 25), Arrays.copyOf(hash, 4));
  }

  private static final String BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
  private static final int[] GENERATOR = {
    0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3
  };

  /** A segwit address (bech32 for version 0, bech32m for later versions), one case only. */
  static boolean bech32(String address) {
    if (!address.equals(address.toLowerCase()) && !address.equals(address.toUpperCase())) {
      return false;
    }
    String lower = address.toLowerCase();
    int separator = lower.lastIndexOf('1');
    if (separator < 1 || lower.length() - separator - 1 < 7) {
      return false;
    }
    String hrp = lower.substring(0, separator);
    int[] data = new int[lower.length() - separator - 1];
    for (int i = 0; i < data.length; i++) {
      data[i] = BECH32.indexOf(lower.charAt(separator + 1 + i));
      if (data[i] < 0) {
        return false;
      }
    }
    int checksum = polymod(hrp, data);
    int version = data[0];
    return version == 0 ? checksum == 1 : version <= 16 && checksum == 0x2bc830a3;
  }

  private static int polymod(String hrp, int[] data) {
    int chk = 1;
    int[] expanded = new int[hrp.length() * 2 + 1 + data.length];
    int k = 0;
    for (int i = 0; i < hrp.length(); i++) {
      expanded[k++] = hrp.charAt(i) >> 5;
    }
    expanded[k++] = 0;
    for (int i = 0; i < hrp.length(); i++) {
      expanded[k++] = hrp.charAt(i) & 31;
    }
    System.arraycopy(data, 0, expanded, k, data.length);
    for (int value : expanded) {
      int top = chk >>> 25;
      chk = (chk & 0x1ffffff) << 5 ^ value;
      for (int i = 0; i < 5; i++) {
        if ((top >>> i & 1) == 1) {
          chk ^= GENERATOR[i];
        }
      }
    }
    return chk;
  }

  /** Shannon entropy of the characters of {@code token}, in bits per character. */
  static double shannonEntropy(CharSequence token) {
    Map<Character, Integer> counts = new java.util.HashMap<>();
    for (int i = 0; i < token.length(); i++) {
      counts.merge(token.charAt(i), 1, Integer::sum);
    }
    double entropy = 0;
    for (int count : counts.values()) {
      double p = (double) count / token.length();
      entropy -= p * (Math.log(p) / Math.log(2));
    }
    return entropy;
  }

  private static byte[] sha256(byte[] input) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(input);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK provides SHA-256", e);
    }
  }
}
