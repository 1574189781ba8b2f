package dev.bridle.core.guard.pii;

/**
 * The kinds of personal data and secrets a {@link PiiDetector} reports. Declaration order is
 * specificity: when two findings of the same length overlap, the type declared first wins.
 */
public enum PiiType {
  /** A PEM private key block, or its header line when the block is cut off. */
  PRIVATE_KEY,
  /** A JSON Web Token: three base64url segments, the first two starting with {@code eyJ}. */
  JWT,
  /** A credential of a known format: AWS, GitHub, Slack, OpenAI, Stripe, Google. */
  API_KEY,
  /** A payment card number of 13 to 19 digits that passes the Luhn check. */
  CREDIT_CARD,
  /** An IBAN of the registered length for its country that passes ISO 7064 mod-97. */
  IBAN,
  /** A US social security number AAA-GG-SSSS outside the never-issued ranges. */
  US_SSN,
  /** A Bitcoin address with a valid Base58Check or bech32/bech32m checksum. */
  CRYPTO,
  /** An e-mail address. */
  EMAIL,
  /** An http, https or www URL with a dotted host name. */
  URL,
  /** An IPv4 or IPv6 address. */
  IP_ADDRESS,
  /** An international (+CC) or common national phone number. */
  PHONE,
  /** A long random-looking token; see {@link PiiDetector} for the entropy rule. */
  HIGH_ENTROPY_TOKEN
}
