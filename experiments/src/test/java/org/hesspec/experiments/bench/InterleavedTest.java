package org.hesspec.experiments.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InterleavedTest {

  @Test
  void roundsAlternateTheToolsAndReverseEveryOtherRound() {
    Interleaved.Group hess = Interleaved.CURVATURE.get(1);
    List<String> even = Interleaved.order(hess, true, 0).stream().map(e -> (e.getKey() ? "A:" : "B:") + e.getValue()).toList();
    assertEquals(List.of("A:hessian_vp", "B:hvp_full", "A:hessian_vp_nocache", "B:hvp_reuse", "A:hessian_vp_copy"), even);
    List<String> odd = Interleaved.order(hess, true, 1).stream().map(e -> (e.getKey() ? "A:" : "B:") + e.getValue()).toList();
    assertEquals(List.of("A:hessian_vp_copy", "B:hvp_reuse", "A:hessian_vp_nocache", "B:hvp_full", "A:hessian_vp"), odd);
    assertEquals(List.of("hessian_vp", "hessian_vp_nocache", "hessian_vp_copy"),
        Interleaved.order(hess, false, 0).stream().map(Map.Entry::getValue).toList());
  }

  /**
   * A machine whose speed changes from round to round by a factor of up to 4 that both sides see:
   * each tool's times spread by that factor, the per-round ratios do not (equal to 1e-12, exact
   * but for the rounding of two divisions).
   */
  @Test
  void pairedRatiosCancelASlowdownBothSidesSee() {
    double[] slowdown = {1.0};
    int[] round = {0};
    List<String> calls = new ArrayList<>();
    Map<String, Double> oursBase = Map.of("gradient", 0.04, "hessian_vp", 0.05, "hessian_vp_nocache", 0.07, "hessian_vp_copy", 0.08,
        "G_vp", 0.03, "H_vp", 0.045);
    Map<String, Double> peerBase = Map.of("loss_grad", 0.05, "hvp_full", 0.125, "hvp_reuse", 0.08, "gnvp_full", 0.1,
        "hv_residual_full", 0.09);
    Interleaved.Side ours = m -> {
      calls.add("A:" + m);
      return oursBase.get(m) * slowdown[0];
    };
    Interleaved.Side peer = m -> {
      calls.add("B:" + m);
      return peerBase.get(m) * slowdown[0];
    };
    Interleaved.Machine machine = new Interleaved.Machine() {
      @Override
      public double matmulGflops() {
        return 400 / slowdown[0];
      }

      @Override
      public double triadGbs() {
        return 20 / slowdown[0];
      }

      @Override
      public double load() {
        // called last in a round: the next round runs at another speed (1, 4, 2, 1, 4, 2, ...)
        round[0]++;
        slowdown[0] = new double[] {1, 4, 2}[round[0] % 3];
        return slowdown[0];
      }
    };
    int runs = 6;
    List<BenchRow> rows = Interleaved.run("mlp", Interleaved.CURVATURE, ours, peer, machine, 1, runs, 2, 2, s -> {});
    BenchRow hv = find(rows, "hesspec", "hessian_vp");
    assertEquals(runs, hv.runs());
    assertEquals(0.05, hv.min(), 1e-15);
    assertEquals(0.2, hv.max(), 1e-15);
    assertEquals(0.125, find(rows, "pytorch", "hessian_vp").min(), 1e-15); // hvp_full under its bench.csv name
    for (var e : Map.of("hessian_vp", 0.4, "hessian_vp_nocache", 0.56, "hessian_vp_copy", 0.64, "hessian_vp_reuse", 0.625, "gradient",
        0.8, "G_vp", 0.3, "H_vp", 0.5).entrySet()) {
      BenchRow r = find(rows, Interleaved.RATIO_TOOL, e.getKey());
      assertEquals("ratio", r.unit());
      assertEquals(e.getValue(), r.median(), 1e-12, e.getKey());
      assertEquals(e.getValue(), r.min(), 1e-12, e.getKey());
      assertEquals(e.getValue(), r.max(), 1e-12, e.getKey());
    }
    // the machine samples spread with the slowdown: one per round, warm-up rounds excluded
    BenchRow mm = find(rows, "tensorflow", "matmul_gflops");
    assertEquals("GFLOP/s", mm.unit());
    assertEquals(4 * runs, mm.runs());
    assertEquals(100, mm.min(), 1e-12);
    assertEquals(400, mm.max(), 1e-12);
    assertEquals("GB/s", find(rows, "tensorflow", "triad_gbs").unit());
    assertEquals("load", find(rows, "machine", "load_1m").unit());
    // every metric ran once per round, warm-up included: 1 + 6 rounds of 2 + 5 + 2 + 2 steps
    assertEquals((1 + runs) * 11, calls.size());
    // the second group's first round (warm-up, even) starts with hesspec, its second with hesspec's last metric
    int start = (1 + runs) * 2;
    assertEquals("A:hessian_vp", calls.get(start));
    assertEquals("A:hessian_vp_copy", calls.get(start + 5));
    assertTrue(rows.stream().allMatch(r -> !r.tool().equals("pytorch") || !r.metric().contains("hvp")), rows.toString());
  }

  @Test
  void withoutAPeerOnlyHesspecRunsAndNoRatiosAreMade() {
    List<String> calls = new ArrayList<>();
    Interleaved.Machine machine = new Interleaved.Machine() {
      @Override
      public double matmulGflops() {
        return 1;
      }

      @Override
      public double triadGbs() {
        return 1;
      }

      @Override
      public double load() {
        return Double.NaN;
      }
    };
    List<BenchRow> rows = Interleaved.run("cnn", Interleaved.CURVATURE, m -> {
      calls.add(m);
      return 0.1;
    }, null, machine, 0, 3, 2, 2, s -> {});
    assertEquals(3 * 6, calls.size());
    assertTrue(rows.stream().noneMatch(r -> r.tool().equals("pytorch") || r.tool().equals(Interleaved.RATIO_TOOL)), rows.toString());
    assertEquals(0.1, find(rows, "hesspec", "G_vp").median());
  }

  private static BenchRow find(List<BenchRow> rows, String tool, String metric) {
    return rows.stream().filter(r -> r.tool().equals(tool) && r.metric().equals(metric)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + tool + " " + metric + " in " + rows));
  }

  /** Warming alternates the two tools, in {@link Interleaved#order}, until at least the given time has passed. */
  @Test
  void warmsBothToolsForAtLeastTheGivenTime() {
    List<String> calls = new ArrayList<>();
    Interleaved.Side ours = m -> {
      calls.add("A:" + m);
      sleep(5);
      return 0.005;
    };
    Interleaved.Side peer = m -> {
      calls.add("B:" + m);
      sleep(5);
      return 0.005;
    };
    long start = System.nanoTime();
    int rounds = Interleaved.warm(Interleaved.CURVATURE.get(0), ours, peer, 0.05);
    double elapsed = (System.nanoTime() - start) / 1e9;
    assertTrue(elapsed >= 0.05, "warmed for " + elapsed + " s");
    // a round is two calls of >= 5 ms each, so 0.05 s takes at most 5 full rounds plus the one that crosses it
    assertTrue(rounds >= 1 && rounds <= 6, "rounds " + rounds);
    assertEquals(2 * rounds, calls.size());
    int n = Math.min(4, calls.size()); // reversed every other round, as the timed rounds are
    assertEquals(List.of("A:gradient", "B:loss_grad", "B:loss_grad", "A:gradient").subList(0, n), calls.subList(0, n));
    // hesspec alone, and a zero budget: one round, not none
    calls.clear();
    assertEquals(1, Interleaved.warm(Interleaved.CURVATURE.get(0), ours, null, 0));
    assertEquals(List.of("A:gradient"), calls);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
