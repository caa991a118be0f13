package org.hesspec.experiments.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.hesspec.curvature.SessionSettings;
import org.junit.jupiter.api.Test;

class WorkerProtocolTest {

  @Test
  void parsesTimesRowsMetaAndPassesOtherLinesToTheLog() {
    List<String> log = new ArrayList<>();
    BenchRow row = new BenchRow("mlp", "pytorch", "hvp_full", "s", 0.1, 0.09, 0.2, 5, 2);
    WorkerProtocol.Answer a = WorkerProtocol.parse("peer", List.of("meta torch=1.13", "time 0.125", WorkerProtocol.row(row),
        "W0000 some library chatter"), log::add);
    assertEquals(0.125, a.time());
    assertEquals(List.of(row), a.rows());
    assertEquals("1.13", a.meta().get("torch"));
    assertEquals(List.of("W0000 some library chatter"), log);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> WorkerProtocol.parse("peer", List.of("error time x: unknown metric"), s -> {}));
    assertEquals("peer: time x: unknown metric", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> WorkerProtocol.parse("peer", List.of("meta novalue"), s -> {}));
    assertThrows(IllegalArgumentException.class, () -> WorkerProtocol.parse("peer", List.of("row mlp,hesspec,x"), s -> {}));
  }

  /**
   * hesspec's side on mlp-small: ready with its metrics, one repetition per request, an error
   * answer for an unknown metric without ending the session, and at the end p (784*256 + 256 +
   * 256*256 + 256 + 256*10 + 10 = 269,322) and the flops of the products timed so far.
   */
  @Test
  void servesAWorkloadOneRepetitionPerRequest() throws Exception {
    String requests = String.join("\n", "time gradient", "time hessian_vp", "time nonsense", "bogus", "counts", "quit") + "\n";
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (Benchmark b = new Benchmark(BenchWorkload.named("mlp-small"), new SessionSettings(2, 1));
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      WorkerProtocol.serve(b, new BufferedReader(new StringReader(requests)), out, s -> {});
    }
    List<List<String>> answers = new ArrayList<>();
    List<String> current = new ArrayList<>();
    for (String line : bytes.toString(StandardCharsets.UTF_8).lines().toList()) {
      if (line.equals("done")) {
        answers.add(current);
        current = new ArrayList<>();
      } else {
        current.add(line);
      }
    }
    assertEquals(6, answers.size(), answers.toString()); // ready + 5 requests (quit is not answered)
    assertTrue(answers.get(0).get(0).startsWith("meta metrics=gradient "), answers.get(0).toString());
    for (int i = 1; i <= 2; i++) {
      double t = WorkerProtocol.parse("w", answers.get(i), s -> {}).time();
      assertTrue(t > 0 && t < 60, "time " + t);
    }
    assertTrue(answers.get(3).get(0).startsWith("error time nonsense: unknown hesspec metric 'nonsense'"), answers.get(3).toString());
    assertTrue(answers.get(4).get(0).startsWith("error unknown request 'bogus'"), answers.get(4).toString());
    List<BenchRow> counts = WorkerProtocol.parse("w", answers.get(5), s -> {}).rows();
    assertEquals(List.of("params", "gradient_gflop", "hessian_vp_gflop", "peak_rss_mib"), counts.stream().map(BenchRow::metric).toList());
    assertEquals(269_322, counts.get(0).median());
    assertEquals("count", counts.get(0).unit());
    // the gradient's dense flops: forward 2n(784*256 + 256*256 + 256*10) and twice that backward, less the input's gradient
    // (2n*784*256 not computed): 2*1000*(200704 + 65536 + 2560) * 3 - 2*1000*200704 = 1.211392 GFLOP
    assertEquals(1.211392, counts.get(1).median(), 1e-9);
    assertEquals("GFLOP", counts.get(1).unit());
  }
}
