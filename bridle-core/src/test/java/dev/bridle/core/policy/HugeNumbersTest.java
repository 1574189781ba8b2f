package dev.bridle.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bridle.core.internal.Json;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/**
 * A model (or a caller) can write {@code 1e400000000}: four bytes of exponent that written out in
 * full are 400 million digits. Nothing in policy may write such a number out.
 */
class HugeNumbersTest {

  @Test
  void anAskAboveLimitNamesAHugeNumberWithItsExponent() {
    ArgumentConstraint.AskAbove above =
        new ArgumentConstraint.AskAbove("approve_*", "amount", new BigDecimal("500"));

    // as a JSON number it parses to a double (Infinity), which asks as "not a number"; as text it
    // reaches BigDecimal
    assertThat(above.asks(Json.tree("{\"amount\": \"1e400000000\"}")))
        .hasValueSatisfying(
            reason -> assertThat(reason).contains("1E+400000000").hasSizeLessThan(120));
    assertThat(above.asks(Json.tree("{\"amount\": 1e400000000}")))
        .hasValueSatisfying(reason -> assertThat(reason).contains("not a number"));
  }

  @Test
  void plainNumbersAreWrittenOutAndHugeOnesKeepTheirExponent() {
    assertThat(Json.plainNumber(new BigDecimal("100.50"))).isEqualTo("100.5");
    assertThat(Json.plainNumber(new BigDecimal("1e2"))).isEqualTo("100");
    assertThat(Json.plainNumber(new BigDecimal("0.000"))).isEqualTo("0");
    assertThat(Json.plainNumber(new BigDecimal("1e400000000"))).isEqualTo("1E+400000000");
    assertThat(Json.plainNumber(new BigDecimal("1e-400000000"))).isEqualTo("1E-400000000");
  }
}
