package org.hesspec.experiments.run;

import java.io.PrintStream;
import org.hesspec.spectral.Progress;
import org.hesspec.spectral.ProgressListener;

/**
 * Shows progress of long steps (Lanczos runs and steps, class means) with ETA: on a terminal one
 * line updated in place (at most every half second); otherwise one line per finished run.
 */
final class ConsoleProgressListener implements ProgressListener {
  private final PrintStream out;
  private final boolean terminal;
  private long lastPrint;
  private String lastLine = "";

  ConsoleProgressListener(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  static ConsoleProgressListener stderr() {
    return new ConsoleProgressListener(System.err, System.console() != null);
  }

  @Override
  public synchronized void progress(Progress p) {
    boolean finished = p.step() >= p.steps();
    if (terminal) {
      long now = System.nanoTime();
      if (finished || now - lastPrint > 500_000_000L) {
        lastPrint = now;
        out.print("\r  " + p + "          ");
        if (finished && p.run() + 1 >= p.runs()) {
          out.println();
        }
        out.flush();
      }
    } else if (finished && p.run() + 1 >= p.runs()) {
      String line = "  " + p;
      if (!line.equals(lastLine)) {
        out.println(line);
        lastLine = line;
      }
    }
  }
}
