package dev.bridle.core.cost;

import dev.bridle.core.ConfigurationException;
import dev.bridle.core.model.Usage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Model prices by model and date: the editable price table that turns token usage into dollars.
 *
 * <p>{@link #shipped()} holds common OpenAI, Anthropic and Gemini models with the page and day each
 * price was taken from; an operator's file ({@link #load(Path)}, same format, see {@code
 * docs/resilience.md}) adds models and later prices, and replaces a shipped entry of the same model
 * and effective day: {@code PriceTable.shipped().overriddenBy(PriceTable.load(path))}.
 *
 * <p>A lookup takes the entry of the latest effective day on or before the day asked about. Model
 * ids are {@code provider:name}; a name the table does not know is tried again without a trailing
 * snapshot date ({@code openai:gpt-4o-2024-08-06} falls back to {@code openai:gpt-4o}, {@code
 * anthropic:claude-sonnet-4-20250514} to {@code anthropic:claude-sonnet-4}), because providers
 * answer with the snapshot they served. A model the table does not know has an {@link Cost.Unknown
 * unknown} cost, never a zero one.
 */
public final class PriceTable {

  /** The classpath resource of the shipped table. */
  public static final String SHIPPED_RESOURCE = "/dev/bridle/core/cost/prices.json";

  private static final Pattern SNAPSHOT_SUFFIX = Pattern.compile("-(\\d{4}-\\d{2}-\\d{2}|\\d{8})$");

  private final Map<String, NavigableMap<LocalDate, ModelPrice>> byModel;

  private PriceTable(Map<String, NavigableMap<LocalDate, ModelPrice>> byModel) {
    this.byModel = byModel;
  }

  /** A table of exactly these prices; two entries for the same model and day are an error. */
  public static PriceTable of(List<ModelPrice> prices) {
    Map<String, NavigableMap<LocalDate, ModelPrice>> byModel = new TreeMap<>();
    for (ModelPrice price : prices) {
      ModelPrice previous =
          byModel
              .computeIfAbsent(price.modelId(), id -> new TreeMap<>())
              .putIfAbsent(price.effective(), price);
      if (previous != null) {
        throw new ConfigurationException(
            "the price table has two prices for "
                + price.modelId()
                + " effective "
                + price.effective());
      }
    }
    return new PriceTable(freeze(byModel));
  }

  /** The table shipped with Bridle (see {@link #SHIPPED_RESOURCE}). */
  public static PriceTable shipped() {
    return Shipped.TABLE;
  }

  /**
   * Reads an operator's price file.
   *
   * @throws ConfigurationException when the file cannot be read or is malformed; the message names
   *     the file and the JSON path of the offending value
   */
  public static PriceTable load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigurationException("cannot read the price table " + file + ": " + e, e);
    }
    return parse(text, file.toString());
  }

  /**
   * Parses a price table in the file format; {@code where} names its origin in error messages.
   *
   * @throws ConfigurationException when the text is malformed, naming the JSON path
   */
  public static PriceTable parse(String json, String where) {
    return of(PriceFileParser.parse(json, where));
  }

  /**
   * This table with {@code overrides} laid over it: an override replaces the entry of the same
   * model and effective day, and adds everything else.
   */
  public PriceTable overriddenBy(PriceTable overrides) {
    Map<String, NavigableMap<LocalDate, ModelPrice>> merged = new TreeMap<>();
    byModel.forEach((model, prices) -> merged.put(model, new TreeMap<>(prices)));
    overrides.byModel.forEach(
        (model, prices) -> merged.computeIfAbsent(model, id -> new TreeMap<>()).putAll(prices));
    return new PriceTable(freeze(merged));
  }

  /** The price of {@code modelId} on {@code day}, if the table has one. */
  public Optional<ModelPrice> price(String modelId, LocalDate day) {
    Objects.requireNonNull(day, "day");
    return entries(modelId).map(prices -> prices.floorEntry(day)).map(Map.Entry::getValue);
  }

  /** What {@code usage} of {@code modelId} costs on {@code day}, or why that is unknown. */
  public Cost cost(String modelId, Usage usage, LocalDate day) {
    Objects.requireNonNull(usage, "usage");
    Optional<ModelPrice> price = price(modelId, day);
    if (price.isPresent()) {
      return new Cost.Known(price.get().costOf(usage), price.get());
    }
    return new Cost.Unknown(modelId, whyUnknown(modelId, day));
  }

  /** Every entry, by model then effective day. */
  public List<ModelPrice> entries() {
    List<ModelPrice> all = new ArrayList<>();
    byModel.values().forEach(prices -> all.addAll(prices.values()));
    return List.copyOf(all);
  }

  /** The model ids the table has prices for, sorted. */
  public Set<String> models() {
    return byModel.keySet();
  }

  private Optional<NavigableMap<LocalDate, ModelPrice>> entries(String modelId) {
    Objects.requireNonNull(modelId, "modelId");
    NavigableMap<LocalDate, ModelPrice> exact = byModel.get(modelId);
    if (exact != null) {
      return Optional.of(exact);
    }
    String withoutSnapshot = SNAPSHOT_SUFFIX.matcher(modelId).replaceFirst("");
    return Optional.ofNullable(byModel.get(withoutSnapshot));
  }

  private String whyUnknown(String modelId, LocalDate day) {
    Optional<NavigableMap<LocalDate, ModelPrice>> prices = entries(modelId);
    if (prices.isPresent()) {
      return "no price for "
          + modelId
          + " on "
          + day
          + ": its first price in the table is effective "
          + prices.get().firstKey()
          + "; the cost is unknown, not zero";
    }
    String hint = modelId.contains(":") ? "" : " (model ids are 'provider:name')";
    return "no price for model '"
        + modelId
        + "' in the price table"
        + hint
        + "; the cost is unknown, not zero. Add it to the operator's price file. Models with"
        + " prices: "
        + String.join(", ", byModel.keySet());
  }

  private static Map<String, NavigableMap<LocalDate, ModelPrice>> freeze(
      Map<String, NavigableMap<LocalDate, ModelPrice>> byModel) {
    Map<String, NavigableMap<LocalDate, ModelPrice>> frozen = new TreeMap<>();
    byModel.forEach(
        (model, prices) -> frozen.put(model, Collections.unmodifiableNavigableMap(prices)));
    return Collections.unmodifiableMap(frozen);
  }

  /** Loads the shipped table once, on first use. */
  private static final class Shipped {
    static final PriceTable TABLE = read();

    private static PriceTable read() {
      try (InputStream in = PriceTable.class.getResourceAsStream(SHIPPED_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException(
              "the shipped price table is missing: " + SHIPPED_RESOURCE);
        }
        return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), SHIPPED_RESOURCE);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the shipped price table", e);
      }
    }
  }
}
