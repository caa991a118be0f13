package org.hesspec.model.train;

import java.time.Duration;
import java.util.Arrays;
import org.hesspec.data.Dataset;
import org.hesspec.model.zoo.Architecture;

/**
 * Trains a reference network on a labelled data set, as the paper does: SGD with momentum on mean
 * softmax cross-entropy until the training error reaches its target or the epoch budget ends.
 *
 * <p>Deterministic: the initial parameters depend only on the seed and the parameter names, the
 * example order of each epoch only on the seed and the epoch, and the session runs with the
 * configured thread counts; the same seed on the same machine gives the same weights bit for bit.
 *
 * <pre>{@code
 * TrainedModel m = new Trainer(TrainingConfig.defaults(7).withEpochs(50)).train(arch, train, test);
 * }</pre>
 */
public final class Trainer {

  private final TrainingConfig config;
  private final TrainingListener listener;

  /** A trainer that reports progress on the console. */
  public Trainer(TrainingConfig config) {
    this(config, TrainingListener.console());
  }

  public Trainer(TrainingConfig config, TrainingListener listener) {
    this.config = config;
    this.listener = listener;
  }

  /** Trains without a test set. */
  public TrainedModel train(Architecture arch, Dataset train) {
    return train(arch, train, null);
  }

  /**
   * Trains {@code arch} on {@code train} from the seeded initial state.
   *
   * @param test optional evaluation set (null for none), evaluated once at the end
   */
  public TrainedModel train(Architecture arch, Dataset train, Dataset test) {
    check(arch, train, "training");
    if (test != null) {
      check(arch, test, "test");
    }
    long start = System.nanoTime();
    int n = train.size();
    int stepsPerEpoch = (n + config.batchSize() - 1) / config.batchSize();
    try (TrainingGraph g = new TrainingGraph(arch, config)) {
      g.initialise(ModelState.initial(g.network(), config.seed()));
      Metrics trainMetrics = null;
      boolean reached = false;
      int epoch = 0;
      while (epoch < config.epochs() && !reached) {
        int[] order = EpochOrder.permutation(n, config.seed(), epoch);
        double lossSum = 0;
        double lr = Double.NaN;
        for (int s = 0; s < stepsPerEpoch; s++) {
          int from = s * config.batchSize();
          int to = Math.min(n, from + config.batchSize());
          lr = config.schedule().rate(epoch, (double) s / stepsPerEpoch, config.epochs());
          float loss = g.step(train.subset(Arrays.copyOfRange(order, from, to)), (float) lr);
          if (!Float.isFinite(loss)) {
            throw new IllegalStateException("training diverged at epoch " + (epoch + 1) + ", step " + (s + 1)
                + " (loss " + loss + "); lower the learning rate");
          }
          lossSum += loss;
        }
        epoch++;
        trainMetrics = null;
        if (epoch % config.evaluateEvery() == 0 || epoch == config.epochs()) {
          trainMetrics = Metrics.of(g.logits(train, config.evalBatchSize()), train.labels(), arch.numClasses());
          reached = !Double.isNaN(config.targetTrainAccuracy()) && trainMetrics.accuracy() >= config.targetTrainAccuracy();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        Duration eta = elapsed.dividedBy(epoch).multipliedBy(config.epochs() - epoch);
        listener.onEpoch(new EpochReport(epoch, config.epochs(), lossSum / stepsPerEpoch, trainMetrics, lr, elapsed, eta));
      }
      if (trainMetrics == null) {
        trainMetrics = Metrics.of(g.logits(train, config.evalBatchSize()), train.labels(), arch.numClasses());
      }
      Metrics testMetrics = test == null ? null : Metrics.of(g.logits(test, config.evalBatchSize()), test.labels(), arch.numClasses());
      ModelState state = g.state();
      return new TrainedModel(arch, state, config, DataDescription.of(train), test == null ? null : DataDescription.of(test),
          epoch, reached, trainMetrics, testMetrics, Duration.ofNanos(System.nanoTime() - start));
    }
  }

  private static void check(Architecture arch, Dataset d, String role) {
    arch.requireInput(d.exampleShape());
    if (d.labels() == null) {
      throw new IllegalArgumentException("the " + role + " set " + d.name() + " has no class labels");
    }
    if (d.numClasses() != arch.numClasses()) {
      throw new IllegalArgumentException("the " + role + " set " + d.name() + " has " + d.numClasses()
          + " classes but the " + arch.kind() + " has " + arch.numClasses() + " outputs");
    }
    if (d.size() == 0) {
      throw new IllegalArgumentException("the " + role + " set " + d.name() + " is empty");
    }
  }
}
