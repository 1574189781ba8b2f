package dev.bridle.core.tool;

import com.github.victools.jsonschema.generator.FieldScope;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigPart;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Negative;
import jakarta.validation.constraints.NegativeOrZero;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedArrayType;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.Optional;

/**
 * Constraints on the items of an optional list: {@code Optional<List<@Pattern(regexp = "T-\\d+")
 * String>> ids}. The schema generator flattens the {@code Optional} and generates the list, but
 * looks for the items' annotations one type argument deep, on {@code List<...>} itself, and finds
 * none. These resolvers look two levels deep for exactly that case (an {@code Optional} field whose
 * content is a collection or an array, whose items may be optional themselves) and map the Jakarta
 * constraints the way the generator's validation module does for a plain {@code List<@Pattern
 * String>}; in every other case they say nothing and the module's own answer stands.
 */
final class OptionalItems {

  private OptionalItems() {}

  static void register(SchemaGeneratorConfigPart<FieldScope> fields) {
    fields
        .withStringPatternResolver(OptionalItems::pattern)
        .withStringMinLengthResolver(OptionalItems::minLength)
        .withStringMaxLengthResolver(OptionalItems::maxLength)
        .withStringFormatResolver(OptionalItems::format)
        .withNumberInclusiveMinimumResolver(OptionalItems::inclusiveMinimum)
        .withNumberExclusiveMinimumResolver(OptionalItems::exclusiveMinimum)
        .withNumberInclusiveMaximumResolver(OptionalItems::inclusiveMaximum)
        .withNumberExclusiveMaximumResolver(OptionalItems::exclusiveMaximum);
  }

  /** The annotated type of an item of an {@code Optional<List<T>>} field; empty otherwise. */
  private static Optional<AnnotatedType> item(FieldScope field) {
    if (!field.isFakeContainerItemScope() || field.getRawMember().getType() != Optional.class) {
      return Optional.empty();
    }
    if (!(field.getRawMember().getAnnotatedType() instanceof AnnotatedParameterizedType optional)) {
      return Optional.empty();
    }
    AnnotatedType content = optional.getAnnotatedActualTypeArguments()[0];
    AnnotatedType item;
    if (content instanceof AnnotatedArrayType array) {
      item = array.getAnnotatedGenericComponentType();
    } else if (rawType(content) instanceof Class<?> c && Collection.class.isAssignableFrom(c)) {
      item = onlyArgument(content).orElse(null);
    } else {
      return Optional.empty();
    }
    // Optional<List<Optional<@Pattern String>>>: the inner Optional is flattened too
    if (item != null && rawType(item) == Optional.class) {
      item = onlyArgument(item).orElse(null);
    }
    return Optional.ofNullable(item);
  }

  private static Type rawType(AnnotatedType type) {
    return type.getType() instanceof ParameterizedType parameterized
        ? parameterized.getRawType()
        : type.getType();
  }

  private static Optional<AnnotatedType> onlyArgument(AnnotatedType type) {
    return type instanceof AnnotatedParameterizedType parameterized
            && parameterized.getAnnotatedActualTypeArguments().length == 1
        ? Optional.of(parameterized.getAnnotatedActualTypeArguments()[0])
        : Optional.empty();
  }

  private static <A extends Annotation> Optional<A> on(FieldScope field, Class<A> type) {
    return item(field).map(item -> item.getAnnotation(type));
  }

  private static boolean text(FieldScope field) {
    return field.getType() != null && field.getType().isInstanceOf(CharSequence.class);
  }

  private static String pattern(FieldScope field) {
    return text(field) ? on(field, Pattern.class).map(Pattern::regexp).orElse(null) : null;
  }

  private static Integer minLength(FieldScope field) {
    if (!text(field)) {
      return null;
    }
    Optional<Size> size = on(field, Size.class).filter(s -> s.min() > 0);
    if (size.isPresent()) {
      return size.get().min();
    }
    boolean notEmpty =
        on(field, NotEmpty.class).isPresent() || on(field, NotBlank.class).isPresent();
    return notEmpty ? 1 : null;
  }

  private static Integer maxLength(FieldScope field) {
    return text(field)
        ? on(field, Size.class).filter(s -> s.max() < Integer.MAX_VALUE).map(Size::max).orElse(null)
        : null;
  }

  private static String format(FieldScope field) {
    return text(field) && on(field, Email.class).isPresent() ? "email" : null;
  }

  private static BigDecimal inclusiveMinimum(FieldScope field) {
    Optional<Min> min = on(field, Min.class);
    if (min.isPresent()) {
      return BigDecimal.valueOf(min.get().value());
    }
    Optional<DecimalMin> decimal = on(field, DecimalMin.class).filter(DecimalMin::inclusive);
    if (decimal.isPresent()) {
      return new BigDecimal(decimal.get().value());
    }
    return on(field, PositiveOrZero.class).isPresent() ? BigDecimal.ZERO : null;
  }

  private static BigDecimal exclusiveMinimum(FieldScope field) {
    Optional<DecimalMin> decimal = on(field, DecimalMin.class).filter(d -> !d.inclusive());
    if (decimal.isPresent()) {
      return new BigDecimal(decimal.get().value());
    }
    return on(field, Positive.class).isPresent() ? BigDecimal.ZERO : null;
  }

  private static BigDecimal inclusiveMaximum(FieldScope field) {
    Optional<Max> max = on(field, Max.class);
    if (max.isPresent()) {
      return BigDecimal.valueOf(max.get().value());
    }
    Optional<DecimalMax> decimal = on(field, DecimalMax.class).filter(DecimalMax::inclusive);
    if (decimal.isPresent()) {
      return new BigDecimal(decimal.get().value());
    }
    return on(field, NegativeOrZero.class).isPresent() ? BigDecimal.ZERO : null;
  }

  private static BigDecimal exclusiveMaximum(FieldScope field) {
    Optional<DecimalMax> decimal = on(field, DecimalMax.class).filter(d -> !d.inclusive());
    if (decimal.isPresent()) {
      return new BigDecimal(decimal.get().value());
    }
    return on(field, Negative.class).isPresent() ? BigDecimal.ZERO : null;
  }
}
