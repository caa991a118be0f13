package org.hesspec.experiments.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.hesspec.model.OutputKind;

/**
 * The model whose loss curvature is measured.
 *
 * @param savedModel the SavedModel folder (absolute); may not exist yet when {@code train} is given
 * @param signature serving signature to call [serving_default]
 * @param input signature input key; empty means "the only input" and is filled in when the loader
 *     was given a {@link ModelChecker}
 * @param output signature output key; empty means "the only output", as for {@code input}
 * @param outputKind what the output holds [logits]
 * @param parameters the parameter groups theta is restricted to, one analysis per group; a single
 *     group {@code all} matching every tensor by default
 * @param train how to train the model when {@code savedModel} does not exist
 * @param fromSignature the keys among {@code input} and {@code output} that the file left out
 *     and the loader filled in from the model's signature: part of the resolved experiment, not of
 *     the declared one ({@link #declaredMap()})
 * @param features the penultimate-feature tensor for the neural-collapse statistic {@code nc1}; empty: found
 *     by the importer (the input of the last dense layer that feeds the output)
 * @param checkpoint which model of the training to analyse: {@code final} [default], or one of
 *     {@code model.train.checkpoints} (the SavedModel {@code <savedmodel>@<label>})
 */
public record ModelConfig(
    Path savedModel,
    String signature,
    Optional<String> input,
    Optional<String> output,
    OutputKind outputKind,
    List<ParameterGroup> parameters,
    Optional<TrainConfig> train,
    List<String> fromSignature,
    Optional<String> features,
    String checkpoint) {

  /** The name of the default group, which matches every parameter tensor. */
  public static final String ALL_PARAMETERS = "all";

  public ModelConfig {
    Objects.requireNonNull(savedModel, "savedModel");
    Objects.requireNonNull(signature, "signature");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(outputKind, "outputKind");
    parameters = List.copyOf(parameters);
    if (parameters.isEmpty()) {
      throw new IllegalArgumentException("at least one parameter group");
    }
    Objects.requireNonNull(train, "train");
    fromSignature = List.copyOf(fromSignature);
    Objects.requireNonNull(features, "features");
    Objects.requireNonNull(checkpoint, "checkpoint");
  }

  /** The final model of a training (or the only model), with the features found by the importer. */
  public ModelConfig(Path savedModel, String signature, Optional<String> input, Optional<String> output, OutputKind outputKind,
      List<ParameterGroup> parameters, Optional<TrainConfig> train) {
    this(savedModel, signature, input, output, outputKind, parameters, train, List.of(), Optional.empty(), TrainConfig.FINAL);
  }

  /** True when there are several groups: the runner reports per-group (per-layer) spectra. */
  public boolean perGroup() {
    return parameters.size() > 1;
  }

  /** Keys as in the experiment file; one group is written in the single-mapping form. */
  public Map<String, Object> toMap() {
    return map(true);
  }

  /**
   * As {@link #toMap()} without the keys filled in from the model ({@link #fromSignature()}):
   * the model as the file declares it (defaults included), which does not change when a model
   * that a run trains comes into existence.
   */
  public Map<String, Object> declaredMap() {
    return map(false);
  }

  private Map<String, Object> map(boolean resolved) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("savedmodel", savedModel.toString());
    m.put("signature", signature);
    input.filter(i -> resolved || !fromSignature.contains("input")).ifPresent(i -> m.put("input", i));
    output.filter(o -> resolved || !fromSignature.contains("output")).ifPresent(o -> m.put("output", o));
    m.put("output_kind", outputKind.yamlName());
    m.put("parameters", parameters.size() == 1
        ? parameters.get(0).toMap()
        : parameters.stream().map(ParameterGroup::toMap).toList());
    train.ifPresent(t -> m.put("train", t.toMap()));
    features.ifPresent(f -> m.put("features", f));
    if (!checkpoint.equals(TrainConfig.FINAL)) {
      m.put("checkpoint", checkpoint.equals(TrainConfig.FIRST_ZERO_ERROR) ? checkpoint : (Object) Long.parseLong(checkpoint));
    }
    return m;
  }
}
