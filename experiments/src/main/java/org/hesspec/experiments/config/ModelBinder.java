package org.hesspec.experiments.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.hesspec.experiments.config.TrainConfig.Optimizer;
import org.hesspec.experiments.config.TrainConfig.Schedule;
import org.hesspec.model.OutputKind;
import org.hesspec.model.zoo.Activation;
import org.hesspec.model.zoo.ReferenceArchitecture;

/** Binds and checks the {@code model} mapping. */
final class ModelBinder {

  static final String DEFAULT_SIGNATURE = "serving_default";

  private final Convert convert;
  private final PathChecks paths;
  private final ModelChecker checker;

  /** @param checker TensorFlow-backed checks, or null to skip them */
  ModelBinder(Convert convert, PathChecks paths, ModelChecker checker) {
    this.convert = convert;
    this.paths = paths;
    this.checker = checker;
  }

  Optional<ModelConfig> bind(MapReader r) {
    Optional<YamlValue> savedNode = r.require("savedmodel", "the SavedModel folder");
    Optional<Path> saved = savedNode.flatMap(v -> paths.resolve(v, r.path("savedmodel")));
    Optional<YamlValue> signatureNode = r.get("signature");
    String signature = r.string("signature", DEFAULT_SIGNATURE);
    Optional<String> input = r.optionalString("input");
    Optional<String> output = r.optionalString("output");
    OutputKind outputKind = r.enumValue("output_kind", OutputKind.class, OutputKind::yamlName, OutputKind.LOGITS);
    List<ParameterGroup> groups = parameters(r);
    Optional<TrainConfig> train = r.child("train").map(this::train);
    Optional<String> features = r.optionalString("features");
    String checkpoint = checkpoint(r, train);
    r.finish();
    if (saved.isEmpty()) {
      return Optional.empty();
    }
    if (!Files.exists(saved.get()) && train.isPresent()) {
      // The runner trains the model and exports it there; nothing more to check now.
      return Optional.of(new ModelConfig(saved.get(), signature, input, output, outputKind, groups, train, List.of(), features, checkpoint));
    }
    String why = train.isPresent() ? "" : " (give model.train to train a model and export it there)";
    Origin at = savedNode.get().origin();
    if (!paths.checkDirectory(saved.get(), at, r.path("savedmodel"), why)) {
      return Optional.empty();
    }
    if (!Files.isRegularFile(saved.get().resolve("saved_model.pb"))
        && !Files.isRegularFile(saved.get().resolve("saved_model.pbtxt"))) {
      r.errors().add(at, r.path("savedmodel"), "not a SavedModel: " + saved.get() + " has no saved_model.pb");
      return Optional.empty();
    }
    List<String> fromSignature = new ArrayList<>();
    if (checker != null) {
      if (input.isEmpty()) {
        fromSignature.add("input");
      }
      if (output.isEmpty()) {
        fromSignature.add("output");
      }
      Optional<ModelChecker.Signature> sig =
          signature(r, saved.get(), signature, signatureNode.map(YamlValue::origin).orElse(at));
      if (sig.isEmpty()) {
        return Optional.empty();
      }
      input = port(r, "input", input, sig.get().inputs(), signature);
      output = port(r, "output", output, sig.get().outputs(), signature);
      if (input.isEmpty() || output.isEmpty()) {
        return Optional.empty();
      }
    }
    return Optional.of(new ModelConfig(saved.get(), signature, input, output, outputKind, groups, train, fromSignature, features,
        checkpoint));
  }

  /**
   * {@code model.checkpoint}: {@code final} (default), {@code first_zero_error} or an epoch, which
   * must be one of {@code model.train.checkpoints}. Returned in canonical text form.
   */
  private String checkpoint(MapReader r, Optional<TrainConfig> train) {
    Optional<YamlValue> v = r.get("checkpoint");
    if (v.isEmpty()) {
      return TrainConfig.FINAL;
    }
    String path = r.path("checkpoint");
    Optional<String> label = checkpointLabel(v.get(), path, true);
    if (label.isEmpty() || label.get().equals(TrainConfig.FINAL)) {
      return TrainConfig.FINAL;
    }
    List<String> declared = train.map(TrainConfig::checkpoints).orElse(List.of());
    if (!declared.contains(label.get())) {
      r.errors().add(v.get().origin(), path, "checkpoint " + label.get() + " is not exported by the training: "
          + (train.isEmpty() ? "give model.train with checkpoints: [" + label.get() + ", ...]"
              : "model.train.checkpoints is " + declared + "; add it there, or use final"));
      return TrainConfig.FINAL;
    }
    return label.get();
  }

  /** A checkpoint name: first_zero_error, a positive epoch, or (when {@code allowFinal}) final. */
  private Optional<String> checkpointLabel(YamlValue v, String path, boolean allowFinal) {
    String expected = "first_zero_error, a positive epoch number" + (allowFinal ? " or final" : "");
    if (v instanceof YamlScalar s && s.kind() == YamlScalar.Kind.INT) {
      return convert.integer(v, path, 1).map(String::valueOf);
    }
    if (v instanceof YamlScalar s && s.kind() == YamlScalar.Kind.STRING
        && (s.text().equals(TrainConfig.FIRST_ZERO_ERROR) || (allowFinal && s.text().equals(TrainConfig.FINAL)))) {
      return Optional.of(s.text());
    }
    List<String> names = allowFinal ? List.of(TrainConfig.FIRST_ZERO_ERROR, TrainConfig.FINAL) : List.of(TrainConfig.FIRST_ZERO_ERROR);
    String text = v instanceof YamlScalar s ? s.text() : "";
    convert.errors().add(v.origin(), path, "expected " + expected + ", found " + v.describe() + Suggest.didYouMean(text, names));
    return Optional.empty();
  }

  private Optional<ModelChecker.Signature> signature(MapReader r, Path saved, String name, Origin at) {
    Map<String, ModelChecker.Signature> signatures;
    try {
      signatures = checker.signatures(saved);
    } catch (Exception e) {
      r.errors().add(at, r.path("savedmodel"), "cannot load the SavedModel " + saved + ": " + e.getMessage());
      return Optional.empty();
    }
    if (!signatures.containsKey(name)) {
      List<String> names = signatures.keySet().stream().sorted().toList();
      r.errors().add(at, r.path("signature"), "the SavedModel has no signature '" + name + "'; its signatures are "
          + (names.isEmpty() ? "(none)" : String.join(", ", names)) + Suggest.didYouMean(name, names));
      return Optional.empty();
    }
    return Optional.of(signatures.get(name));
  }

  /** Checks a given input/output key, or picks the only one when none is given. */
  private static Optional<String> port(
      MapReader r, String key, Optional<String> given, List<String> available, String signature) {
    List<String> sorted = available.stream().sorted().toList();
    if (given.isPresent()) {
      if (available.contains(given.get())) {
        return given;
      }
      Origin at = r.map().get(key).map(YamlValue::origin).orElse(r.map().origin());
      r.errors().add(at, r.path(key), "signature '" + signature + "' has no " + key + " '" + given.get() + "'; its "
          + key + "s are " + String.join(", ", sorted) + Suggest.didYouMean(given.get(), sorted));
      return Optional.empty();
    }
    if (available.size() == 1) {
      return Optional.of(available.get(0));
    }
    r.errors().add(r.map().origin(), r.path(key), "signature '" + signature + "' has " + available.size() + " " + key
        + "s" + (sorted.isEmpty() ? "" : " (" + String.join(", ", sorted) + ")") + "; name one with " + r.path(key));
    return Optional.empty();
  }

  /** {@code parameters}: absent (all), one {include: [...]} mapping, or a list of groups. */
  private List<ParameterGroup> parameters(MapReader r) {
    Optional<YamlValue> v = r.get("parameters");
    String path = r.path("parameters");
    if (v.isEmpty()) {
      return List.of(ParameterGroup.all());
    }
    if (v.get() instanceof YamlList list) {
      if (list.items().isEmpty()) {
        r.errors().add(list.origin(), path, "must not be an empty list; leave it out to use every parameter");
        return List.of(ParameterGroup.all());
      }
      List<ParameterGroup> groups = new ArrayList<>();
      Set<String> names = new HashSet<>();
      for (int i = 0; i < list.items().size(); i++) {
        String itemPath = path + "[" + i + "]";
        MapReader g = MapReader.of(list.items().get(i), itemPath, convert);
        ParameterGroup group = group(g, "group" + (i + 1));
        if (!names.add(group.name())) {
          Origin at = g.map().get("name").map(YamlValue::origin).orElse(g.map().origin());
          r.errors().add(at, itemPath + ".name", "duplicate group name '" + group.name() + "'");
        }
        groups.add(group);
      }
      return groups;
    }
    if (v.get() instanceof YamlMap) {
      return List.of(group(MapReader.of(v.get(), path, convert), "selected"));
    }
    r.errors().add(v.get().origin(), path,
        "expected {include: [regex, ...]} or a list of such groups, found " + v.get().describe());
    return List.of(ParameterGroup.all());
  }

  private ParameterGroup group(MapReader g, String defaultName) {
    String name = g.string("name", defaultName);
    List<String> include = g.require("include", "a list of regexes on parameter tensor names")
        .flatMap(v -> convert.distinctList(v, g.path("include"), this::regex))
        .orElse(List.of(".*"));
    g.finish();
    return new ParameterGroup(name, include);
  }

  private Optional<String> regex(YamlValue v, String path) {
    Optional<String> text = convert.name(v, path);
    if (text.isPresent()) {
      try {
        Pattern.compile(text.get());
      } catch (PatternSyntaxException e) {
        convert.errors().add(v.origin(), path, "invalid regular expression: " + e.getDescription()
            + " near position " + e.getIndex());
        return Optional.empty();
      }
    }
    return text;
  }

  private TrainConfig train(MapReader t) {
    Optional<ReferenceArchitecture> arch = t.require("architecture",
            "one of " + Convert.names(ReferenceArchitecture.class, ReferenceArchitecture::yamlName))
        .flatMap(v -> convert.enumValue(v, t.path("architecture"), ReferenceArchitecture.class, ReferenceArchitecture::yamlName));
    List<Integer> hidden = List.of();
    // An unknown architecture is already an error; don't pile a second one on `hidden`.
    if (arch.isEmpty() || arch.get() == ReferenceArchitecture.MLP) {
      hidden = t.get("hidden")
          .flatMap(v -> convert.nonEmptyList(v, t.path("hidden"), (item, p) -> convert.integer(item, p, 1)))
          .orElse(TrainConfig.DEFAULT_HIDDEN);
    } else {
      t.notApplicable("hidden", "hidden applies only to architecture mlp, not " + arch.get().yamlName()
          + " (use width_multiplier to scale its widths)");
    }
    Activation activation = t.enumValue("activation", Activation.class, Activation::yamlName, Activation.RELU);
    double width = t.number("width_multiplier", 1.0, 0, true, 1e3);
    Optimizer optimizer = t.enumValue("optimizer", Optimizer.class, Optimizer.SGD);
    double lr = t.number("learning_rate", 0.01, 0, true, 1e3);
    double momentum = t.get("momentum")
        .flatMap(v -> convert.number(v, t.path("momentum"), 0, false, 1))
        .filter(m -> {
          if (m >= 1) {
            t.errors().add(t.map().get("momentum").get().origin(), t.path("momentum"), "must be less than 1, found " + m);
            return false;
          }
          return true;
        })
        .orElse(0.9);
    double weightDecay = t.number("weight_decay", 5e-4, 0, false, 1e3);
    int epochs = t.integer("epochs", 20, 1);
    int batchSize = t.integer("batch_size", 128, 1);
    Schedule schedule = t.enumValue("schedule", Schedule.class, Schedule.STEP);
    OptionalDouble target = t.get("target_train_accuracy")
        .flatMap(v -> convert.number(v, t.path("target_train_accuracy"), 0, true, 1))
        .map(OptionalDouble::of)
        .orElse(OptionalDouble.empty());
    OptionalDouble targetLoss = t.get("target_train_loss")
        .flatMap(v -> convert.number(v, t.path("target_train_loss"), 0, true, Double.MAX_VALUE))
        .map(OptionalDouble::of)
        .orElse(OptionalDouble.empty());
    List<String> checkpoints = t.get("checkpoints")
        .flatMap(v -> convert.distinctList(v, t.path("checkpoints"), (item, p) -> checkpointLabel(item, p, false)))
        .orElse(List.of());
    for (int i = 0; i < checkpoints.size(); i++) {
      String c = checkpoints.get(i);
      if (!c.equals(TrainConfig.FIRST_ZERO_ERROR) && Integer.parseInt(c) > epochs) {
        YamlValue item = ((YamlList) t.get("checkpoints").get()).items().get(i);
        t.errors().add(item.origin(), t.path("checkpoints") + "[" + i + "]", "epoch " + c + " is after the last epoch (epochs: " + epochs + ")");
      }
    }
    t.finish();
    return new TrainConfig(arch.orElse(ReferenceArchitecture.MLP), hidden, activation, width, optimizer, lr, momentum,
        weightDecay, epochs, batchSize, schedule, target, targetLoss, checkpoints);
  }
}
