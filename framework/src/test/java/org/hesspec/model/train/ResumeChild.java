package org.hesspec.model.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The child process of {@link CheckpointAndResumeTest#sigkilledProcessResumesBitForBit}: trains with a resume state. */
final class ResumeChild {
  private ResumeChild() {}

  static final int EPOCHS = 12;

  static TrainingConfig config() {
    return CheckpointAndResumeTest.config(EPOCHS);
  }

  /** args: state file, result file, "slow" (sleep after each epoch so the parent can kill mid-training) or "fast". */
  public static void main(String[] args) throws IOException {
    Path state = Path.of(args[0]);
    boolean slow = args[2].equals("slow");
    TrainedModel m = new Trainer(config(), r -> {
      if (slow) {
        try {
          Thread.sleep(400); // progress reporting only; the numbers do not depend on it
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }).withResumeState(state, 1, Duration.ZERO).train(CheckpointAndResumeTest.arch(), CheckpointAndResumeTest.data());
    CheckpointAndResumeTest.writeResult(m, Path.of(args[1]));
  }

  static Process start(Path state, Path result, boolean slow) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(ResumeChild.class.getName());
    cmd.add(state.toString());
    cmd.add(result.toString());
    cmd.add(slow ? "slow" : "fast");
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.PIPE).start();
  }

  static String log(Process p) {
    try {
      return p.isAlive() ? "(still running)" : new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return e.toString();
    }
  }
}
