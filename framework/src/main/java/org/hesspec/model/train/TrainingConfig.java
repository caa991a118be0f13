package org.hesspec.model.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How to train: SGD with momentum and weight decay on mean softmax cross-entropy, shuffled
 * mini-batches, a learning-rate schedule, until the training accuracy reaches a target or the
 * epoch budget ends.
 *
 * @param seed seeds the initial parameters and the order of the examples in every epoch
 * @param epochs the epoch budget
 * @param batchSize examples per step (the last batch of an epoch may be smaller)
 * @param schedule learning rate per step
 * @param momentum heavy-ball momentum mu: {@code v = mu v + g; theta -= lr v} (PyTorch's convention)
 * @param weightDecay L2 coefficient lambda added to the gradient as {@code lambda theta}, for every parameter
 * @param targetTrainAccuracy stop after an evaluation whose training accuracy is at least this
 *     (1.0: zero training error, as in the paper); NaN: always use the full budget
 * @param targetTrainLoss stop after an evaluation whose mean training loss (inference mode, no
 *     weight-decay term) is at most this; NaN: no loss target. With both targets, training stops
 *     when either is reached
 * @param evaluateEvery evaluate (and report, and check the target) every this many epochs; the last
 *     epoch is always evaluated
 * @param evalBatchSize examples per evaluation batch (speed and memory only)
 * @param intraOpThreads TensorFlow intra-op threads (0: TensorFlow's default). Results are
 *     reproducible bit for bit for a fixed value on a fixed machine
 * @param interOpThreads TensorFlow inter-op threads (0: TensorFlow's default; 1 keeps the order in
 *     which independent ops run fixed)
 */
public record TrainingConfig(
    long seed,
    int epochs,
    int batchSize,
    LearningRateSchedule schedule,
    double momentum,
    double weightDecay,
    double targetTrainAccuracy,
    double targetTrainLoss,
    int evaluateEvery,
    int evalBatchSize,
    int intraOpThreads,
    int interOpThreads) {

  public TrainingConfig {
    if (epochs <= 0 || batchSize <= 0 || evaluateEvery <= 0 || evalBatchSize <= 0) {
      throw new IllegalArgumentException("epochs, batch sizes and evaluateEvery must be positive");
    }
    if (schedule == null) {
      throw new IllegalArgumentException("learning-rate schedule is missing");
    }
    if (!(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
    }
    if (!(weightDecay >= 0)) {
      throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
    }
    if (!Double.isNaN(targetTrainAccuracy) && !(targetTrainAccuracy >= 0 && targetTrainAccuracy <= 1)) {
      throw new IllegalArgumentException("target training accuracy must be in [0, 1] or NaN, got " + targetTrainAccuracy);
    }
    if (!Double.isNaN(targetTrainLoss) && !(targetTrainLoss > 0)) {
      throw new IllegalArgumentException("target training loss must be positive or NaN, got " + targetTrainLoss);
    }
    if (intraOpThreads < 0 || interOpThreads < 0) {
      throw new IllegalArgumentException("thread counts must be >= 0");
    }
  }

  /**
   * Defaults: 100 epochs, batch 128, constant rate 0.01, momentum 0.9, no weight decay, stop at
   * zero training error, evaluate every epoch in batches of 256 (a VGG11_bn 1/4 forward pass over
   * 5,060 images took 1.7-2.0 s so on 2 cores, 2.9 s in batches of 1000), all cores intra-op and
   * one inter-op thread.
   */
  public static TrainingConfig defaults(long seed) {
    return new TrainingConfig(seed, 100, 128, new LearningRateSchedule.Constant(0.01), 0.9, 0.0, 1.0, Double.NaN, 1, 256,
        Runtime.getRuntime().availableProcessors(), 1);
  }

  public TrainingConfig withSeed(long s) {
    return new TrainingConfig(s, epochs, batchSize, schedule, momentum, weightDecay, targetTrainAccuracy, targetTrainLoss, evaluateEvery, evalBatchSize, intraOpThreads, interOpThreads);
  }

  public TrainingConfig withEpochs(int e) {
    return new TrainingConfig(seed, e, batchSize, schedule, momentum, weightDecay, targetTrainAccuracy, targetTrainLoss, evaluateEvery, evalBatchSize, intraOpThreads, interOpThreads);
  }

  public TrainingConfig withBatchSize(int b) {
    return new TrainingConfig(seed, epochs, b, schedule, momentum, weightDecay, targetTrainAccuracy, targetTrainLoss, evaluateEvery, evalBatchSize, intraOpThreads, interOpThreads);
  }

  public TrainingConfig withSchedule(LearningRateSchedule s) {
    return new TrainingConfig(seed, epochs, batchSize, s, momentum, weightDecay, targetTrainAccuracy, targetTrainLoss, evaluateEvery, evalBatchSize, intraOpThreads, interOpThreads);
  }

  public TrainingConfig withMomentum(double m) {
    return new TrainingConfig(seed, epochs, batchSize, schedule, m, weightDecay, targetTrainAccuracy, targetTrainLoss, evaluateEvery, evalBatchSize, intraOpThreads, interOpThreads);
  }

  public TrainingConfig withWeightDecay(double wd) {
    return new TrainingConfig(seed, epochs, batchSize, schedule, momentum, wd, targetTrainAccuracy, targetTrainLoss, evaluateEvery, evalBatchSize, intraOpThreads, interOpThreads);
  }

  public TrainingConfig withTargetTrainAccuracy(double t) {
    return new TrainingConfig(seed, epochs, batchSize, schedule, momentum, weightDecay, t, targetTrainLoss, evaluateEvery, evalBatchSize, intraOpThreads, interOpThreads);
  }

  /** Stop once the mean training loss is at most {@code l} (NaN: no loss target). */
  public TrainingConfig withTargetTrainLoss(double l) {
    return new TrainingConfig(seed, epochs, batchSize, schedule, momentum, weightDecay, targetTrainAccuracy, l, evaluateEvery, evalBatchSize, intraOpThreads, interOpThreads);
  }

  public TrainingConfig withEvaluateEvery(int e) {
    return new TrainingConfig(seed, epochs, batchSize, schedule, momentum, weightDecay, targetTrainAccuracy, targetTrainLoss, e, evalBatchSize, intraOpThreads, interOpThreads);
  }

  public TrainingConfig withThreads(int intra, int inter) {
    return new TrainingConfig(seed, epochs, batchSize, schedule, momentum, weightDecay, targetTrainAccuracy, targetTrainLoss, evaluateEvery, evalBatchSize, intra, inter);
  }

  /** The settings as plain values, for the metadata file. */
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("optimizer", "sgd_momentum");
    m.put("epochs", epochs);
    m.put("batch_size", batchSize);
    m.put("schedule", schedule.describe());
    m.put("momentum", momentum);
    m.put("weight_decay", weightDecay);
    m.put("target_train_accuracy", Double.isNaN(targetTrainAccuracy) ? null : targetTrainAccuracy);
    m.put("target_train_loss", Double.isNaN(targetTrainLoss) ? null : targetTrainLoss);
    m.put("evaluate_every", evaluateEvery);
    m.put("intra_op_threads", intraOpThreads);
    m.put("inter_op_threads", interOpThreads);
    return m;
  }
}
