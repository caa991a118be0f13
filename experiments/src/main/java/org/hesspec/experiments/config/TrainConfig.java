package org.hesspec.experiments.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import org.hesspec.model.zoo.Activation;
import org.hesspec.model.zoo.ReferenceArchitecture;

/**
 * How to train a reference model (and export it to {@code model.savedmodel}) when that folder
 * does not exist yet.
 *
 * @param architecture mlp | lenet | vgg11 | vgg11_bn | resnet18 (required); vgg11_bn is Papyan's VGG11
 *     with batch norm
 * @param hidden widths of the hidden layers, mlp only [512, 512]; empty for other architectures
 * @param activation relu | tanh [relu]
 * @param widthMultiplier scales every layer width [1.0]
 * @param optimizer sgd [sgd]
 * @param learningRate initial learning rate [0.01]
 * @param momentum heavy-ball momentum in [0, 1) [0.9]
 * @param weightDecay L2 penalty coefficient [5e-4]
 * @param epochs passes over the training split [20]
 * @param batchSize training mini-batch size [128]
 * @param schedule learning-rate schedule [step]: step divides the rate by 10 at the start of the
 *     (0-based) epochs floor(epochs/3) and floor(2 epochs/3), exactly twice (Papyan's protocol);
 *     cosine anneals to 0; constant keeps it
 * @param targetTrainAccuracy stop early once training accuracy reaches it, in (0, 1]; empty
 *     trains all epochs
 * @param targetTrainLoss stop early once the mean training loss (inference mode, without the
 *     weight-decay term) is at most this, > 0; empty: no loss target
 * @param checkpoints models to export besides the final one, in file order:
 *     {@code first_zero_error} and epoch numbers (as text, e.g. "50"); each goes to
 *     {@code <savedmodel>@first_zero_error} or {@code <savedmodel>@epoch-<n>}
 */
public record TrainConfig(
    ReferenceArchitecture architecture,
    List<Integer> hidden,
    Activation activation,
    double widthMultiplier,
    Optimizer optimizer,
    double learningRate,
    double momentum,
    double weightDecay,
    int epochs,
    int batchSize,
    Schedule schedule,
    OptionalDouble targetTrainAccuracy,
    OptionalDouble targetTrainLoss,
    List<String> checkpoints) {

  public static final List<Integer> DEFAULT_HIDDEN = List.of(512, 512);

  public TrainConfig {
    Objects.requireNonNull(architecture, "architecture");
    hidden = List.copyOf(hidden);
    Objects.requireNonNull(activation, "activation");
    Objects.requireNonNull(optimizer, "optimizer");
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(targetTrainAccuracy, "targetTrainAccuracy");
    Objects.requireNonNull(targetTrainLoss, "targetTrainLoss");
    checkpoints = List.copyOf(checkpoints);
  }

  /** Without a loss target and checkpoints. */
  public TrainConfig(ReferenceArchitecture architecture, List<Integer> hidden, Activation activation, double widthMultiplier,
      Optimizer optimizer, double learningRate, double momentum, double weightDecay, int epochs, int batchSize,
      Schedule schedule, OptionalDouble targetTrainAccuracy) {
    this(architecture, hidden, activation, widthMultiplier, optimizer, learningRate, momentum, weightDecay, epochs, batchSize,
        schedule, targetTrainAccuracy, OptionalDouble.empty(), List.of());
  }

  /** The label of the final model, the default of {@code model.checkpoint}. */
  public static final String FINAL = "final";
  /** The checkpoint at the first epoch with zero training error. */
  public static final String FIRST_ZERO_ERROR = "first_zero_error";

  /** Training optimizers. */
  public enum Optimizer implements YamlEnum {
    SGD;
  }

  /** Learning-rate schedules. */
  public enum Schedule implements YamlEnum {
    CONSTANT, STEP, COSINE;
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("architecture", architecture.yamlName());
    if (architecture == ReferenceArchitecture.MLP) {
      m.put("hidden", hidden);
    }
    m.put("activation", activation.yamlName());
    m.put("width_multiplier", widthMultiplier);
    m.put("optimizer", optimizer.yamlName());
    m.put("learning_rate", learningRate);
    m.put("momentum", momentum);
    m.put("weight_decay", weightDecay);
    m.put("epochs", epochs);
    m.put("batch_size", batchSize);
    m.put("schedule", schedule.yamlName());
    targetTrainAccuracy.ifPresent(a -> m.put("target_train_accuracy", a));
    targetTrainLoss.ifPresent(l -> m.put("target_train_loss", l));
    if (!checkpoints.isEmpty()) {
      // epochs as numbers, first_zero_error as text: the file's own form
      m.put("checkpoints", checkpoints.stream().<Object>map(c -> c.equals(FIRST_ZERO_ERROR) ? c : Long.parseLong(c)).toList());
    }
    return m;
  }
}
