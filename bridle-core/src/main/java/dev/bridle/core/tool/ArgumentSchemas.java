package dev.bridle.core.tool;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import com.github.victools.jsonschema.module.jakarta.validation.JakartaValidationModule;
import com.github.victools.jsonschema.module.jakarta.validation.JakartaValidationOption;
import dev.bridle.core.internal.Json;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Generates the JSON Schema of a tool's argument record: descriptions from
 * {@code @JsonPropertyDescription} / {@code @JsonClassDescription}, constraints from Jakarta
 * Validation annotations ({@code @Min}, {@code @Max}, {@code @Size}, {@code @Pattern}, ...), enums
 * as {@code enum}. Every component is required unless its type is an {@code Optional}; extra
 * properties are forbidden.
 *
 * <p>An {@code Optional} is flattened to the schema of its content. The generator reads constraint
 * annotations one type argument deep: {@code Optional<@Size(max = 9) String>} and {@code
 * List<@Pattern(...) String>} keep their constraints, but the items of {@code
 * Optional<List<@Pattern(...) String>>} would lose theirs. {@link OptionalItems} reads those items'
 * annotations itself.
 */
final class ArgumentSchemas {

  private static final SchemaGenerator GENERATOR = createGenerator();

  /**
   * Generated schemas and their compiled validators, once per argument type: generating one costs
   * milliseconds, and an evaluation builds a fresh tool set for every case. A {@link ClassValue} is
   * thread-safe and does not keep a class from being unloaded.
   */
  private static final ClassValue<Generated> GENERATED =
      new ClassValue<>() {
        @Override
        protected Generated computeValue(Class<?> argumentType) {
          ObjectNode schema = generateAfresh(argumentType);
          return new Generated(schema, new ArgumentValidator(schema));
        }
      };

  /** A schema (never handed out, only copies of it) and its validator. */
  private record Generated(ObjectNode schema, ArgumentValidator validator) {}

  private ArgumentSchemas() {}

  /** The schema of {@code argumentType}: a copy of the one generated for it, free to change. */
  static ObjectNode generate(Class<?> argumentType) {
    return GENERATED.get(argumentType).schema().deepCopy();
  }

  /** The validator of {@code argumentType}'s schema; thread-safe and shared. */
  static ArgumentValidator validator(Class<?> argumentType) {
    return GENERATED.get(argumentType).validator();
  }

  private static ObjectNode generateAfresh(Class<?> argumentType) {
    ObjectNode schema = GENERATOR.generateSchema(argumentType);
    schema.remove("$schema");
    if (!schema.has("properties")) {
      schema.putObject("properties");
    }
    return schema;
  }

  private static SchemaGenerator createGenerator() {
    SchemaGeneratorConfigBuilder config =
        new SchemaGeneratorConfigBuilder(
                Json.MAPPER, SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
            .with(new JacksonModule())
            .with(
                new JakartaValidationModule(
                    JakartaValidationOption.INCLUDE_PATTERN_EXPRESSIONS,
                    JakartaValidationOption.NOT_NULLABLE_FIELD_IS_REQUIRED))
            .with(Option.NONPUBLIC_NONSTATIC_FIELDS_WITHOUT_GETTERS)
            .with(Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT)
            .with(Option.FLATTENED_ENUMS)
            .with(Option.FLATTENED_OPTIONALS)
            .with(Option.INLINE_ALL_SCHEMAS);
    config
        .forFields()
        .withRequiredCheck(field -> !isOptional(field.getRawMember().getType()))
        .withIgnoreCheck(field -> field.isStatic());
    OptionalItems.register(config.forFields());
    // OptionalInt and its kin are not Optional: without this they would be described as objects
    config
        .forFields()
        .withTargetTypeOverridesResolver(
            field -> {
              Class<?> type = field.getType().getErasedType();
              Class<?> content =
                  type == OptionalInt.class
                      ? Integer.class
                      : type == OptionalLong.class
                          ? Long.class
                          : type == OptionalDouble.class ? Double.class : null;
              return content == null ? null : List.of(field.getContext().resolve(content));
            });
    return new SchemaGenerator(config.build());
  }

  private static boolean isOptional(Class<?> type) {
    return type == Optional.class
        || type == OptionalInt.class
        || type == OptionalLong.class
        || type == OptionalDouble.class;
  }
}
