package org.hesspec.experiments.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.hesspec.experiments.cli.ChildJvm;
import org.hesspec.model.SavedModelImporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training killed with SIGKILL after its resume state was written is continued, by {@code
 * hesspec train} run again and by {@code hesspec run --resume}, to the weights of an
 * uninterrupted training, bit for bit (same seed, same machine).
 */
class TrainKillResumeTest {

  @TempDir Path tmp;

  private static final String EXPERIMENT = """
      name: trainkill
      seed: 5
      model:
        savedmodel: savedmodels/mlp
        train: {architecture: mlp, hidden: [128, 128], epochs: 40, learning_rate: 0.02, checkpoints: [20]}
      data:
        source: gaussian-mixture
        classes: 10
        dims: 100
        separation: 1.5
        train: {per_class: 100}
      operators: [hessian]
      analyses:
        density: {iterations: 6, runs: 1}
      """;

  private Path reference() throws Exception {
    Path ref = experiment("ref");
    RunFixtures.Outcome r = RunFixtures.cli("train", ref.toString());
    assertEquals(0, r.status(), r.stderr());
    return ref;
  }

  @Test
  void killedHesspecTrainResumesBitForBit() throws Exception {
    Path ref = reference();
    double[] reference = SavedModelImporter.load(ref.resolveSibling("savedmodels/mlp")).theta();
    Path a = experiment("a");
    killAfterState(a, "train", a.toString());
    RunFixtures.Outcome again = RunFixtures.cli("train", a.toString());
    assertEquals(0, again.status(), again.stderr());
    assertTrue(again.stderr().contains("resuming the training from"), again.stderr());
    assertArrayEquals(reference, SavedModelImporter.load(a.resolveSibling("savedmodels/mlp")).theta(), "hesspec train re-run");
    assertFalse(Files.exists(a.resolveSibling("savedmodels/mlp.training-state")));
    assertArrayEquals(SavedModelImporter.load(ref.resolveSibling("savedmodels/mlp@epoch-20")).theta(),
        SavedModelImporter.load(a.resolveSibling("savedmodels/mlp@epoch-20")).theta(), "checkpoint epoch-20");
  }

  /** The same through {@code hesspec run ... --resume} (about 20 s more: behind the slow switch, {@code -Pslow}). */
  @Test
  @EnabledIfSystemProperty(named = "hesspec.slow", matches = "true")
  void killedHesspecRunResumesItsTrainingBitForBit() throws Exception {
    double[] reference = SavedModelImporter.load(reference().resolveSibling("savedmodels/mlp")).theta();
    Path b = experiment("b");
    Path out = tmp.resolve("b-out");
    killAfterState(b, "run", b.toString(), "--out", out.toString());
    Path partial;
    try (Stream<Path> s = Files.list(out.resolve("trainkill"))) {
      partial = s.filter(f -> f.getFileName().toString().endsWith(".partial")).findFirst().orElseThrow();
    }
    RunFixtures.Outcome resumed = RunFixtures.cli("run", b.toString(), "--resume", partial.toString());
    assertEquals(0, resumed.status(), resumed.stderr());
    assertTrue(resumed.stderr().contains("resuming the training from"), resumed.stderr());
    assertArrayEquals(reference, SavedModelImporter.load(b.resolveSibling("savedmodels/mlp")).theta(), "hesspec run --resume");
  }

  private Path experiment(String name) throws IOException {
    Path dir = tmp.resolve(name);
    Files.createDirectories(dir);
    Path f = dir.resolve("e.yaml");
    Files.writeString(f, EXPERIMENT);
    return f;
  }

  /** Starts {@code hesspec args...} in a child process and kills it (SIGKILL) once the training state exists. */
  private static void killAfterState(Path experiment, String... args) throws Exception {
    Path state = experiment.resolveSibling("savedmodels/mlp.training-state");
    Path model = experiment.resolveSibling("savedmodels/mlp/saved_model.pb");
    List<String> cmd = ChildJvm.command("2g", List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(experiment.resolveSibling("child.log").toFile());
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    Process p = pb.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (!Files.exists(state) && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    p.destroyForcibly(); // SIGKILL
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertTrue(Files.exists(state), "no training state was written: " + Files.readString(experiment.resolveSibling("child.log")));
    assertFalse(Files.exists(model), "the training finished before it was killed; nothing to resume");
  }
}
