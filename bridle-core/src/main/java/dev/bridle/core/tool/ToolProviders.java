package dev.bridle.core.tool;

import dev.bridle.core.ConfigurationException;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Looks tool providers up by name on the class path. */
public final class ToolProviders {

  private ToolProviders() {}

  public static List<String> available(ClassLoader loader) {
    return List.copyOf(load(loader).keySet());
  }

  /** The provider with this name, or a {@link ConfigurationException} naming those available. */
  public static ToolProvider find(String name, ClassLoader loader) {
    TreeMap<String, ToolProvider> providers = load(loader);
    ToolProvider provider = providers.get(name);
    if (provider == null) {
      throw new ConfigurationException(
          "no tool provider named '"
              + name
              + "' on the class path; available: "
              + (providers.isEmpty() ? "none" : String.join(", ", providers.keySet())));
    }
    return provider;
  }

  private static TreeMap<String, ToolProvider> load(ClassLoader loader) {
    TreeMap<String, ToolProvider> byName = new TreeMap<>();
    for (ToolProvider provider : ServiceLoader.load(ToolProvider.class, loader)) {
      byName.put(provider.name(), provider);
    }
    return byName;
  }
}
