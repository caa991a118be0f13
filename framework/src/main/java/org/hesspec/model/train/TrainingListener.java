package org.hesspec.model.train;

/** Receives training progress; called on the training thread after each epoch. */
@FunctionalInterface
public interface TrainingListener {

  void onEpoch(EpochReport report);

  /** One line per epoch on standard error. */
  static TrainingListener console() {
    return new ConsoleProgress(System.err);
  }

  /** Ignores all progress. */
  static TrainingListener silent() {
    return r -> { };
  }
}
