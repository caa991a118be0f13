package org.hesspec.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Distributed products against the single-process ones, on worker processes that listen only in a
 * private network namespace: the whole check (master and workers) runs in one child process
 * started under {@code unshare -n} with only the loopback interface up (a TensorFlow worker
 * listens on every interface and has no authentication, so it never runs outside such a
 * namespace in tests). Also: a worker killed after set-up fails the next product at once, naming
 * it. Skipped where {@code unshare -n} is not permitted.
 */
class DistributedRuntimeTest {

  private static boolean unsharePermitted() {
    try {
      Process p = new ProcessBuilder("unshare", "-n", "sh", "-c", "ip link set lo up").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void sameProductsAndDensityAsOneProcessOnTwoAndThreeWorkers() throws Exception {
    Assumptions.assumeTrue(unsharePermitted(),
        "'unshare -n' (a private network namespace, needs root or user namespaces) is not permitted here: the test starts"
            + " TensorFlow workers, which listen on all interfaces, only inside one");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String inner = "ip link set lo up && exec \"$0\" -Xmx2g -cp \"$1\" " + DistributedCheck.class.getName() + " 17001 2 3";
    ProcessBuilder pb = new ProcessBuilder("unshare", "-n", "sh", "-c", inner, java, System.getProperty("java.class.path"));
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    pb.redirectErrorStream(true);
    Process p = pb.start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Thread reader = new Thread(() -> {
      try (InputStream in = p.getInputStream()) {
        in.transferTo(out);
      } catch (IOException ignored) {
        // the process ended
      }
    });
    reader.start();
    boolean done = p.waitFor(140, TimeUnit.SECONDS);
    if (!done) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    reader.join(5000);
    String text = out.toString(StandardCharsets.UTF_8);
    System.out.println(text);
    assertTrue(done, "the distributed check did not finish in 140 s:\n" + text);
    assertEquals(0, p.exitValue(), "distributed check failed:\n" + text);
    for (String s : List.of("DISTRIBUTED CHECK OK", "CROSS_ENTROPY, 2 workers", "CROSS_ENTROPY, 3 workers", "MSE, 3 workers",
        "none misplaced", "Lanczos density", "worker killed: the next product failed", "127.0.0.1:17003 (task 2) is not reachable")) {
      assertTrue(text.contains(s), "missing '" + s + "' in:\n" + text);
    }
  }
}
