package org.hesspec.experiments.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads YAML text into a {@link YamlValue} tree with snakeyaml-engine's node API (which keeps
 * every value's line), reporting syntax errors, duplicate keys, non-scalar keys and unsupported
 * tags as {@link ConfigError}s instead of exceptions.
 */
final class YamlReader {

  private YamlReader() {}

  /**
   * Reads an experiment file. Returns empty (with errors recorded) when the file cannot be read,
   * is not valid YAML, or holds no document.
   */
  static Optional<YamlValue> readFile(Path file, Errors errors) {
    Origin whole = new Origin(file, 0, null);
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      errors.add(whole, "", "experiment file not found");
      return Optional.empty();
    } catch (CharacterCodingException e) {
      errors.add(whole, "", "the file is not UTF-8 text");
      return Optional.empty();
    } catch (IOException e) {
      errors.add(whole, "", "cannot read the file: " + e.getMessage());
      return Optional.empty();
    }
    Optional<YamlValue> value = parse(text, file.toString(), m -> Origin.of(file, m), whole, errors);
    if (value.isEmpty() && errors.isEmpty()) {
      errors.add(new Origin(file, 1, null), "", "the file is empty; an experiment needs at least model and data");
    }
    return value;
  }

  /**
   * Reads the value half of a {@code --set key=value} as a YAML scalar or flow collection; every
   * node gets the override's origin. An empty text is an empty string.
   */
  static Optional<YamlValue> readValue(String text, Origin origin, String keyPath, Errors errors) {
    if (text.isBlank()) {
      return Optional.of(new YamlScalar("", YamlScalar.Kind.STRING, origin));
    }
    Errors local = new Errors();
    Optional<YamlValue> value = parse(text, "--set", m -> origin, origin, local);
    if (!local.isEmpty()) {
      // The line/column inside a one-line --set value is noise; say which key it was for.
      errors.add(origin, keyPath, "cannot parse the value '" + text + "' as YAML");
      return Optional.empty();
    }
    return value;
  }

  private static Optional<YamlValue> parse(
      String text, String label, Function<Optional<Mark>, Origin> origins, Origin whole, Errors errors) {
    LoadSettings settings =
        LoadSettings.builder()
            .setLabel(label)
            // The core schema is YAML 1.2's default: 1e-3 is a float, yes/no are strings.
            .setSchema(new CoreSchema())
            .setMaxAliasesForCollections(50)
            .build();
    Optional<Node> node;
    try (Reader reader = new java.io.StringReader(text)) {
      node = new Compose(settings).composeReader(reader);
    } catch (MarkedYamlEngineException e) {
      Optional<Mark> mark = e.getProblemMark().or(e::getContextMark);
      String problem = e.getProblem() == null ? "invalid YAML" : e.getProblem();
      String context = e.getContext() == null ? "" : " (" + e.getContext() + ")";
      errors.add(origins.apply(mark), "", "YAML syntax error: " + problem + context);
      return Optional.empty();
    } catch (YamlEngineException e) {
      errors.add(whole, "", "YAML error: " + e.getMessage());
      return Optional.empty();
    } catch (IOException e) {
      throw new IllegalStateException("reading a string cannot fail", e);
    }
    if (node.isEmpty()) {
      return Optional.empty();
    }
    int before = errors.size();
    YamlValue value = new Converter(origins, errors).convert(node.get(), "");
    return errors.size() == before ? Optional.of(value) : Optional.empty();
  }

  /** Turns snakeyaml-engine nodes into {@link YamlValue}s, one tree walk. */
  private static final class Converter {
    private final Function<Optional<Mark>, Origin> origins;
    private final Errors errors;
    // Anchors may point at an enclosing node; a recursive experiment file makes no sense.
    private final Map<Node, Boolean> inProgress = new IdentityHashMap<>();

    Converter(Function<Optional<Mark>, Origin> origins, Errors errors) {
      this.origins = origins;
      this.errors = errors;
    }

    YamlValue convert(Node node, String path) {
      Origin origin = origins.apply(node.getStartMark());
      if (inProgress.containsKey(node)) {
        errors.add(origin, path, "recursive alias: a value cannot contain itself");
        return new YamlScalar("", YamlScalar.Kind.NULL, origin);
      }
      inProgress.put(node, Boolean.TRUE);
      try {
        if (node instanceof ScalarNode scalar) {
          return scalar(scalar, origin, path);
        }
        if (node instanceof SequenceNode seq) {
          List<YamlValue> items = new ArrayList<>();
          for (int i = 0; i < seq.getValue().size(); i++) {
            items.add(convert(seq.getValue().get(i), path + "[" + i + "]"));
          }
          return new YamlList(items, origin);
        }
        return map((MappingNode) node, origin, path);
      } finally {
        inProgress.remove(node);
      }
    }

    private YamlValue scalar(ScalarNode node, Origin origin, String path) {
      Tag tag = node.getTag();
      YamlScalar.Kind kind;
      if (tag.equals(Tag.STR)) {
        kind = YamlScalar.Kind.STRING;
      } else if (tag.equals(Tag.INT)) {
        kind = YamlScalar.Kind.INT;
      } else if (tag.equals(Tag.FLOAT)) {
        kind = YamlScalar.Kind.FLOAT;
      } else if (tag.equals(Tag.BOOL)) {
        kind = YamlScalar.Kind.BOOL;
      } else if (tag.equals(Tag.NULL)) {
        kind = YamlScalar.Kind.NULL;
      } else {
        errors.add(origin, path, "unsupported YAML tag " + tag.getValue() + "; use a plain value");
        kind = YamlScalar.Kind.NULL;
      }
      return new YamlScalar(node.getValue(), kind, origin);
    }

    private YamlValue map(MappingNode node, Origin origin, String path) {
      List<YamlMap.Entry> entries = new ArrayList<>();
      Map<String, Integer> firstLine = new java.util.HashMap<>();
      for (NodeTuple tuple : node.getValue()) {
        Origin keyOrigin = origins.apply(tuple.getKeyNode().getStartMark());
        if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
          errors.add(keyOrigin, path, "a key must be a plain name, not a list or mapping");
          continue;
        }
        String key = keyNode.getValue();
        String keyPath = path.isEmpty() ? key : path + "." + key;
        if (firstLine.containsKey(key)) {
          errors.add(keyOrigin, keyPath, "duplicate key '" + key + "' (first given on line " + firstLine.get(key) + ")");
          continue;
        }
        firstLine.put(key, keyOrigin.line());
        entries.add(new YamlMap.Entry(key, keyOrigin, convert(tuple.getValueNode(), keyPath)));
      }
      return new YamlMap(entries, origin);
    }
  }
}
