package org.hesspec.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Schedules, epoch order and metrics. */
class TrainingPiecesTest {

  @Test
  void schedules() {
    assertEquals(0.1, new LearningRateSchedule.Constant(0.1).rate(7, 0.5, 10));
    LearningRateSchedule step = new LearningRateSchedule.Step(0.1, 0.1, 30);
    assertEquals(0.1, step.rate(29, 0.99, 90), 1e-15);
    assertEquals(0.01, step.rate(30, 0.0, 90), 1e-15);
    assertEquals(0.001, step.rate(89, 0.0, 90), 1e-15);
    LearningRateSchedule cos = new LearningRateSchedule.Cosine(0.1, 0.0);
    assertEquals(0.1, cos.rate(0, 0.0, 10), 1e-15);
    assertEquals(0.05, cos.rate(5, 0.0, 10), 1e-15);
    assertEquals(0.0, cos.rate(9, 1.0, 10), 1e-15);
    assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule.Constant(0));
  }

  @Test
  void epochOrderIsASeededPermutation() {
    int[] p = EpochOrder.permutation(1000, 3, 0);
    int[] sorted = p.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < sorted.length; i++) {
      assertEquals(i, sorted[i]);
    }
    assertEquals(Arrays.toString(p), Arrays.toString(EpochOrder.permutation(1000, 3, 0)));
    assertFalse(Arrays.equals(p, EpochOrder.permutation(1000, 3, 1)));
    assertFalse(Arrays.equals(p, EpochOrder.permutation(1000, 4, 0)));
  }

  @Test
  void metricsOfKnownLogits() {
    // Example 0: logits (0, ln 3) label 1 -> p = 3/4, correct. Example 1: (0, 0) label 0 -> p = 1/2, tie -> class 0, correct.
    // Example 2: (2, 0) label 1 -> wrong.
    float[] logits = {0f, (float) Math.log(3), 0f, 0f, 2f, 0f};
    Metrics m = Metrics.of(logits, new int[] {1, 0, 1}, 2);
    double expected = (-Math.log(0.75) + Math.log(2) + Math.log(1 + Math.exp(2))) / 3;
    assertEquals(expected, m.loss(), 1e-7);
    assertEquals(2.0 / 3, m.accuracy(), 1e-15);
    assertEquals(3, m.examples());
  }

  @Test
  void configRejectsNonsense() {
    TrainingConfig d = TrainingConfig.defaults(1);
    assertThrows(IllegalArgumentException.class, () -> d.withMomentum(1.0));
    assertThrows(IllegalArgumentException.class, () -> d.withEpochs(0));
    assertThrows(IllegalArgumentException.class, () -> d.withTargetTrainAccuracy(1.5));
    assertEquals(0.99, d.withTargetTrainAccuracy(0.99).targetTrainAccuracy());
  }
}
