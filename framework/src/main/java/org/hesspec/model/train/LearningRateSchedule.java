package org.hesspec.model.train;

import java.util.LinkedHashMap;
import java.util.Map;

/** The learning rate as a function of training progress. */
public sealed interface LearningRateSchedule {

  /**
   * The rate for a step.
   *
   * @param epoch 0-based epoch
   * @param fraction progress within the epoch, in [0, 1)
   * @param epochs the epoch budget
   */
  double rate(int epoch, double fraction, int epochs);

  /** The schedule as plain values, for the metadata file. */
  Map<String, Object> describe();

  /** The same rate throughout. */
  record Constant(double lr) implements LearningRateSchedule {
    public Constant {
      positive(lr);
    }

    @Override
    public double rate(int epoch, double fraction, int epochs) {
      return lr;
    }

    @Override
    public Map<String, Object> describe() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("kind", "constant");
      m.put("lr", lr);
      return m;
    }
  }

  /** {@code lr * factor^floor(epoch / every)}: e.g. divide by 10 every 100 epochs. */
  record Step(double lr, double factor, int every) implements LearningRateSchedule {
    public Step {
      positive(lr);
      if (!(factor > 0) || every <= 0) {
        throw new IllegalArgumentException("step schedule needs factor > 0 and every > 0");
      }
    }

    @Override
    public double rate(int epoch, double fraction, int epochs) {
      return lr * Math.pow(factor, epoch / every);
    }

    @Override
    public Map<String, Object> describe() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("kind", "step");
      m.put("lr", lr);
      m.put("factor", factor);
      m.put("every", every);
      return m;
    }
  }

  /** Cosine annealing from {@code lr} to {@code minLr} over the epoch budget, updated every step. */
  record Cosine(double lr, double minLr) implements LearningRateSchedule {
    public Cosine {
      positive(lr);
      if (minLr < 0 || minLr > lr) {
        throw new IllegalArgumentException("cosine schedule needs 0 <= minLr <= lr");
      }
    }

    @Override
    public double rate(int epoch, double fraction, int epochs) {
      double t = Math.min(1.0, (epoch + fraction) / epochs);
      return minLr + 0.5 * (lr - minLr) * (1 + Math.cos(Math.PI * t));
    }

    @Override
    public Map<String, Object> describe() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("kind", "cosine");
      m.put("lr", lr);
      m.put("min_lr", minLr);
      return m;
    }
  }

  private static void positive(double lr) {
    if (!(lr > 0) || Double.isInfinite(lr)) {
      throw new IllegalArgumentException("learning rate must be positive, got " + lr);
    }
  }
}
