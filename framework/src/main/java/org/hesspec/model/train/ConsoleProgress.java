package org.hesspec.model.train;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/** Prints one line per epoch: epoch, losses, training accuracy, learning rate, elapsed time and ETA. */
public final class ConsoleProgress implements TrainingListener {

  private final PrintStream out;

  public ConsoleProgress(PrintStream out) {
    this.out = out;
  }

  @Override
  public void onEpoch(EpochReport r) {
    String eval = r.train() == null ? "" : String.format(Locale.ROOT, "  train loss %.4f acc %6.2f%%", r.train().loss(), 100 * r.train().accuracy());
    out.printf(Locale.ROOT, "epoch %d/%d  batch loss %.4f%s  lr %.4g  elapsed %s  eta %s%n",
        r.epoch(), r.epochs(), r.batchLoss(), eval, r.learningRate(), clock(r.elapsed()), clock(r.eta()));
  }

  static String clock(Duration d) {
    long s = d.getSeconds();
    return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
