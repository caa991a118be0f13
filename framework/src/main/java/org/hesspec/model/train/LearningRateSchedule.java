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

  /**
   * {@code lr * factor^k} where k is the number of milestones {@code <= epoch} (0-based epochs):
   * PyTorch's {@code MultiStepLR} stepped once per epoch. {@link #thirds} is the protocol of
   * Papyan (2019, "Measurements of three-level hierarchical structure in the outliers in the
   * spectrum of deepnet Hessians"): divide by 10 at 1/3 and 2/3 of the epochs.
   *
   * @param milestones strictly increasing 0-based epochs at whose start the rate is multiplied by {@code factor}
   */
  record MultiStep(double lr, double factor, java.util.List<Integer> milestones) implements LearningRateSchedule {
    public MultiStep {
      positive(lr);
      if (!(factor > 0)) {
        throw new IllegalArgumentException("multi-step schedule needs factor > 0, got " + factor);
      }
      milestones = java.util.List.copyOf(milestones);
      for (int i = 0; i < milestones.size(); i++) {
        if (milestones.get(i) < 0 || (i > 0 && milestones.get(i) <= milestones.get(i - 1))) {
          throw new IllegalArgumentException("milestones must be strictly increasing epochs >= 0, got " + milestones);
        }
      }
    }

    /**
     * Divide by 10 at epochs {@code floor(epochs / 3)} and {@code floor(2 epochs / 3)} (0-based):
     * for 200 epochs the rate is lr for epochs 0-65, lr/10 for 66-132 and lr/100 for 133-199.
     * Budgets under 3 epochs keep whatever milestones are distinct and positive.
     */
    public static MultiStep thirds(double lr, int epochs) {
      java.util.List<Integer> m = new java.util.ArrayList<>();
      for (int k : new int[] {epochs / 3, 2 * epochs / 3}) {
        if (k > 0 && (m.isEmpty() || k > m.get(m.size() - 1))) {
          m.add(k);
        }
      }
      return new MultiStep(lr, 0.1, m);
    }

    @Override
    public double rate(int epoch, double fraction, int epochs) {
      double r = lr;
      for (int m : milestones) {
        if (epoch >= m) {
          r *= factor;
        }
      }
      return r;
    }

    @Override
    public Map<String, Object> describe() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("kind", "multi_step");
      m.put("lr", lr);
      m.put("factor", factor);
      m.put("milestones", milestones);
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
