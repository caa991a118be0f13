package org.hesspec.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher {@code ./hesspec}, run as a process: TensorFlow's start-up lines from absl
 * ({@code WARNING: All log messages before absl::InitializeLog() ...} and
 * {@code I0000 ... mlir_graph_optimization_pass.cc ...}) stay off stderr, on a command that
 * trains (sessions, graph optimisation) and one that loads a SavedModel; a user's own
 * {@code TF_CPP_MIN_LOG_LEVEL=0} still shows them. The launcher runs from the test's class path
 * ({@code HESSPEC_CLASSPATH}), so it does not build.
 */
class QuietStderrTest {

  static final List<String> NOISE = List.of("absl::InitializeLog", "mlir_graph_optimization_pass");

  /** Exit status, stdout and stderr of the launcher. */
  record Result(int status, String stdout, String stderr) {}

  @Test
  void startUpLinesStayOffStderrUnlessTheUserAsksForThem(@TempDir Path tmp) throws Exception {
    Path exp = tmp.resolve("tiny.yaml");
    try (InputStream in = QuietStderrTest.class.getResourceAsStream("/run/tiny.yaml")) {
      Files.write(exp, in.readAllBytes());
    }
    Result train = launch(tmp, null, "train", exp.toString(), "--set", "sweep.data.train.per_class=[20]",
        "--set", "model.train.epochs=2");
    assertEquals(0, train.status(), train.stderr());
    assertTrue(train.stderr().contains("hesspec: trained:"), train.stderr());
    for (String n : NOISE) {
      assertFalse(train.stderr().contains(n), "'" + n + "' on stderr of train:\n" + train.stderr());
    }
    String model = train.stdout().strip().lines().reduce((a, b) -> b).orElseThrow();

    Result quiet = launch(tmp, "2", "inspect", model);
    assertEquals(0, quiet.status(), quiet.stderr());
    assertTrue(quiet.stdout().contains("dense_0/kernel"), quiet.stdout());
    assertEquals("", quiet.stderr().strip(), "inspect wrote to stderr");

    Result loud = launch(tmp, "0", "inspect", model);
    assertEquals(0, loud.status(), loud.stderr());
    assertTrue(loud.stderr().contains("mlir_graph_optimization_pass"), "TF_CPP_MIN_LOG_LEVEL=0 should show TensorFlow's lines:\n"
        + loud.stderr());

    // An input error's message still reaches stderr, and the exit status passes through the filter.
    Result bad = launch(tmp, null, "validate", tmp.resolve("nope.yaml").toString());
    assertEquals(2, bad.status(), bad.stderr());
    assertTrue(bad.stderr().contains("nope.yaml"), bad.stderr());
  }

  /** Runs {@code bash <repository>/hesspec args...}; {@code level} null leaves TF_CPP_MIN_LOG_LEVEL unset. */
  private static Result launch(Path tmp, String level, String... args) throws IOException, InterruptedException {
    Path root = Path.of("").toAbsolutePath();
    while (root != null && !(Files.isRegularFile(root.resolve("hesspec")) && Files.isDirectory(root.resolve("experiments")))) {
      root = root.getParent();
    }
    if (root == null) {
      throw new IllegalStateException("the launcher ./hesspec is not above " + Path.of("").toAbsolutePath());
    }
    List<String> cmd = new ArrayList<>(List.of("bash", root.resolve("hesspec").toString()));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(tmp, "out", ".txt");
    Path err = Files.createTempFile(tmp, "err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
    Map<String, String> env = pb.environment();
    env.remove("TF_CPP_MIN_LOG_LEVEL");
    if (level != null) {
      env.put("TF_CPP_MIN_LOG_LEVEL", level);
    }
    env.put("HESSPEC_CLASSPATH", System.getProperty("java.class.path"));
    env.put("HESSPEC_JAVA_OPTS", "-Xmx1g");
    String javaCommand = ProcessHandle.current().info().command().orElse(null);
    if (javaCommand != null) {
      // the launcher calls `java`: the one running this test comes first on the PATH
      env.put("PATH", Path.of(javaCommand).getParent() + java.io.File.pathSeparator + env.getOrDefault("PATH", ""));
    }
    Process p = pb.start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the launcher did not finish in 180 s: " + cmd);
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
  }
}
