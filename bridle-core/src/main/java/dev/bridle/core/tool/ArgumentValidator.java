package dev.bridle.core.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.Comparator;
import java.util.List;

/** Validates arguments against a tool's schema; one compiled schema per tool. */
final class ArgumentValidator {

  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

  private final JsonSchema schema;

  ArgumentValidator(JsonNode schemaNode) {
    this.schema = FACTORY.getSchema(schemaNode);
  }

  /** Violations as {@code <path>: <message> (rule: <keyword>)}, sorted by path; empty if valid. */
  List<String> violations(JsonNode arguments) {
    return schema.validate(arguments).stream()
        .sorted(Comparator.comparing((ValidationMessage m) -> m.getInstanceLocation().toString()))
        .map(ArgumentValidator::describe)
        .toList();
  }

  private static String describe(ValidationMessage message) {
    return message.getMessage() + " (rule: " + message.getType() + ")";
  }
}
