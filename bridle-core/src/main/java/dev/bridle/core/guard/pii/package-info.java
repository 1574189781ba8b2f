/**
 * Detection and redaction of personal data and secrets in text.
 *
 * <p>{@link dev.bridle.core.guard.pii.PiiDetector#standard()} finds credit cards (Luhn), IBANs (ISO
 * 7064 mod-97), e-mail addresses, phone numbers, IPv4/IPv6 addresses, US social security numbers,
 * URLs, Bitcoin addresses (Base58Check and bech32/bech32m checksums), API keys of known formats,
 * JWTs, PEM private keys and long random-looking tokens. Checksum-invalid look-alikes are not
 * reported. All patterns are linear-time: bounded or possessive quantifiers, no nested unbounded
 * repetition.
 */
package dev.bridle.core.guard.pii;
