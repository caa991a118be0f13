package org.hesspec.model.train;

import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which intermediate models a training hands out (to be exported as SavedModels of their own):
 * the model after given epochs, and the model at the first epoch whose training error is zero.
 * Handing a model out only reads the variables: the training is the same whichever checkpoints
 * are taken.
 *
 * @param firstZeroError take the model after the first evaluated epoch with training accuracy 1
 *     (evaluations happen every {@link TrainingConfig#evaluateEvery()} epochs)
 * @param epochs 1-based epochs after which to take the model
 */
public record Checkpoints(boolean firstZeroError, SortedSet<Integer> epochs) {

  /** The label of the first-zero-error checkpoint. */
  public static final String FIRST_ZERO_ERROR = "first_zero_error";

  /** No checkpoints. */
  public static final Checkpoints NONE = new Checkpoints(false, new TreeSet<>());

  public Checkpoints {
    epochs = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(epochs));
    for (int e : epochs) {
      if (e <= 0) {
        throw new IllegalArgumentException("checkpoint epochs must be positive, got " + e);
      }
    }
  }

  /** Checkpoints after the given epochs only. */
  public static Checkpoints atEpochs(List<Integer> epochs) {
    return new Checkpoints(false, new TreeSet<>(epochs));
  }

  /** The label of the checkpoint after {@code epoch}: {@code epoch-<n>}. */
  public static String epochLabel(int epoch) {
    return "epoch-" + epoch;
  }

  public boolean isEmpty() {
    return !firstZeroError && epochs.isEmpty();
  }

  /** One model handed out during training. */
  public record Snapshot(String label, TrainedModel model) {}

  /** Receives each checkpoint as it is taken (on the training thread). */
  @FunctionalInterface
  public interface Sink {
    void accept(Snapshot snapshot);
  }
}
