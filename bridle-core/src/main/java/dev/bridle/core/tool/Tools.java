package dev.bridle.core.tool;

import dev.bridle.core.ConfigurationException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** Builds tools from methods annotated with {@link AgentTool}. */
public final class Tools {

  private Tools() {}

  /** One tool per public method of {@code target} annotated with {@link AgentTool}. */
  public static List<Tool<?>> fromAnnotated(Object target) {
    List<Tool<?>> tools = new ArrayList<>();
    Method[] methods = target.getClass().getMethods();
    Arrays.sort(methods, Comparator.comparing(Method::getName));
    for (Method method : methods) {
      AgentTool annotation = method.getAnnotation(AgentTool.class);
      if (annotation != null) {
        tools.add(fromMethod(target, method, annotation));
      }
    }
    if (tools.isEmpty()) {
      throw new ConfigurationException(
          target.getClass().getName() + " has no public method annotated with @AgentTool");
    }
    return List.copyOf(tools);
  }

  private static Tool<?> fromMethod(Object target, Method method, AgentTool annotation) {
    String where = target.getClass().getSimpleName() + "." + method.getName();
    if (Modifier.isStatic(method.getModifiers())) {
      throw new ConfigurationException("@AgentTool method " + where + " must not be static");
    }
    Class<?>[] parameters = method.getParameterTypes();
    boolean withContext =
        parameters.length > 0 && parameters[parameters.length - 1] == ToolContext.class;
    int argumentCount = parameters.length - (withContext ? 1 : 0);
    if (argumentCount > 1 || (argumentCount == 1 && !parameters[0].isRecord())) {
      throw new ConfigurationException(
          "@AgentTool method "
              + where
              + " must take one record (its arguments) or nothing, optionally followed by a"
              + " ToolContext");
    }
    Class<?> argumentType = argumentCount == 1 ? parameters[0] : NoArguments.class;
    String name = annotation.name().isEmpty() ? snakeCase(method.getName()) : annotation.name();
    return build(target, method, annotation, argumentType, name, argumentCount == 1, withContext);
  }

  private static <A> Tool<A> build(
      Object target,
      Method method,
      AgentTool annotation,
      Class<A> argumentType,
      String name,
      boolean passArguments,
      boolean passContext) {
    return Tool.builder(name, argumentType)
        .description(annotation.description())
        .effect(annotation.effect())
        .idempotent(annotation.idempotent())
        .timeout(Duration.ofMillis(annotation.timeoutMillis()))
        .handler(
            (arguments, context) -> {
              List<Object> values = new ArrayList<>(2);
              if (passArguments) {
                values.add(arguments);
              }
              if (passContext) {
                values.add(context);
              }
              return invoke(target, method, values.toArray());
            })
        .build();
  }

  private static Object invoke(Object target, Method method, Object[] values) throws Exception {
    try {
      return method.invoke(target, values);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  static String snakeCase(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
  }
}
