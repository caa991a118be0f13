package org.hesspec.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hesspec.data.Dataset;
import org.hesspec.model.zoo.Activation;
import org.hesspec.model.zoo.Mlp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints during training and the trainer's own resume state: taking checkpoints does not
 * change the training, and a training interrupted (in process, or by SIGKILL of its process)
 * continues bit for bit. All comparisons are exact (float bits): the same ops on the same
 * values with the same thread settings must give the same results.
 */
class CheckpointAndResumeTest {

  @TempDir Path tmp;

  /** The training every test here repeats: small tanh MLP, Papyan's schedule, weight decay. */
  static TrainingConfig config(int epochs) {
    return TrainingConfig.defaults(11).withEpochs(epochs).withBatchSize(32).withTargetTrainAccuracy(Double.NaN)
        .withSchedule(LearningRateSchedule.MultiStep.thirds(0.05, epochs)).withWeightDecay(5e-4).withThreads(2, 1);
  }

  static Dataset data() {
    return TestData.gaussianMixture(5, 20, 40, 2.0, 1, 2);
  }

  static Mlp arch() {
    return Mlp.of(20, List.of(24, 24), Activation.TANH, 5);
  }

  @Test
  void checkpointsDoNotChangeTheTrainingAndHoldTheModelOfTheirEpoch() {
    TrainedModel plain = new Trainer(config(6), TrainingListener.silent()).train(arch(), data());
    List<Checkpoints.Snapshot> taken = new ArrayList<>();
    TrainedModel with = new Trainer(config(6), TrainingListener.silent())
        .withCheckpoints(new Checkpoints(true, new java.util.TreeSet<>(List.of(2, 6))), taken::add).train(arch(), data());
    assertEquals(plain.state(), with.state(), "checkpoints [2] changed the final weights");
    TrainedModel upTo2 = new Trainer(config(6).withEpochs(2), TrainingListener.silent()).train(arch(), data());
    Checkpoints.Snapshot at2 = taken.stream().filter(s -> s.label().equals("epoch-2")).findFirst().orElseThrow();
    // A 6-epoch schedule has other milestones than a 2-epoch one, but both are at lr for epochs 0-1.
    assertEquals(upTo2.state(), at2.model().state(), "the epoch-2 checkpoint is not the model after 2 epochs");
    assertEquals(2, at2.model().epochsRun());
    assertEquals(upTo2.train(), at2.model().train());
    Checkpoints.Snapshot at6 = taken.stream().filter(s -> s.label().equals("epoch-6")).findFirst().orElseThrow();
    assertEquals(plain.state(), at6.model().state());
    // This mixture is separable: zero training error is reached within 6 epochs, and reported once.
    List<Checkpoints.Snapshot> zero = taken.stream().filter(s -> s.label().equals(Checkpoints.FIRST_ZERO_ERROR)).toList();
    assertEquals(1, zero.size(), "first_zero_error checkpoints: " + taken.stream().map(Checkpoints.Snapshot::label).toList() + ", final train accuracy " + plain.train().accuracy());
    assertEquals(1.0, zero.get(0).model().train().accuracy());
  }

  @Test
  void interruptedTrainingResumesBitForBit() {
    TrainedModel uninterrupted = new Trainer(config(7), TrainingListener.silent()).train(arch(), data());
    Path state = tmp.resolve("state.bin");
    // First part: stop after epoch 3 by throwing from the listener (the state is written after epoch 2,
    // every 2 epochs, so the resume redoes epoch 3 and must still arrive at the same weights).
    RuntimeException stop = new RuntimeException("stop");
    Trainer interrupted = new Trainer(config(7), r -> {
      if (r.epoch() == 3) {
        throw stop;
      }
    }).withResumeState(state, 2, Duration.ZERO);
    assertEquals(stop, assertThrows(RuntimeException.class, () -> interrupted.train(arch(), data())));
    assertEquals(2, TrainingState.read(state).epoch());
    List<Integer> resumedEpochs = new ArrayList<>();
    TrainedModel resumed = new Trainer(config(7), r -> resumedEpochs.add(r.epoch())).withResumeState(state, 2, Duration.ZERO)
        .train(arch(), data());
    assertEquals(List.of(3, 4, 5, 6, 7), resumedEpochs, "the resumed training did not start after epoch 2");
    assertEquals(uninterrupted.state(), resumed.state());
    assertEquals(uninterrupted.train(), resumed.train());
    assertEquals(7, resumed.epochsRun());
    assertEquals(7, TrainingState.read(state).epoch(), "the state is written after the last epoch");
    // Momentum is part of the state: resuming with zero momentum gives other weights.
    TrainingState two = TrainingState.read(state);
    assertEquals(uninterrupted.state(), two.model());
    assertTrue(two.momentum().stream().anyMatch(t -> {
      for (float v : t.values()) {
        if (v != 0) {
          return true;
        }
      }
      return false;
    }), "momentum buffers are all zero");
  }

  @Test
  void aStateOfAnotherTrainingIsRejected() {
    Path state = tmp.resolve("state.bin");
    new Trainer(config(2), TrainingListener.silent()).withResumeState(state, 1, Duration.ZERO).train(arch(), data());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Trainer(config(2).withWeightDecay(1e-3), TrainingListener.silent()).withResumeState(state, 1, Duration.ZERO)
            .train(arch(), data()));
    assertTrue(e.getMessage().contains("different training"), e.getMessage());
  }

  @Test
  void targetTrainLossStopsTraining() {
    TrainingConfig c = config(50).withTargetTrainLoss(0.02);
    TrainedModel m = new Trainer(c, TrainingListener.silent()).train(arch(), data());
    assertTrue(m.reachedTarget());
    assertTrue(m.epochsRun() < 50, "ran " + m.epochsRun());
    assertTrue(m.train().loss() <= 0.02, "loss " + m.train().loss());
    TrainedModel oneLess = new Trainer(c.withTargetTrainLoss(Double.NaN).withEpochs(m.epochsRun() - 1), TrainingListener.silent())
        .train(arch(), data());
    assertTrue(m.epochsRun() > 1, "reached at the first epoch: the test would not see an early stop");
    assertTrue(oneLess.train().loss() > 0.02, "the target was reached an epoch earlier");
  }

  @Test
  void thirdsScheduleDividesByTenAtOneAndTwoThirds() {
    LearningRateSchedule.MultiStep s = LearningRateSchedule.MultiStep.thirds(0.1, 200);
    assertEquals(List.of(66, 133), s.milestones());
    assertEquals(0.1, s.rate(65, 0.99, 200));
    assertEquals(0.01, s.rate(66, 0, 200), 1e-17);
    assertEquals(0.01, s.rate(132, 0.5, 200), 1e-17);
    assertEquals(0.001, s.rate(133, 0, 200), 1e-17);
    assertEquals(0.001, s.rate(199, 0.99, 200), 1e-17);
    assertEquals(List.of(1, 2), LearningRateSchedule.MultiStep.thirds(0.1, 3).milestones());
    assertEquals(List.of(1), LearningRateSchedule.MultiStep.thirds(0.1, 2).milestones());
  }

  /**
   * A training process killed with SIGKILL mid-training, restarted on the same state file,
   * ends with the weights of a training that was never interrupted.
   */
  @Test
  void sigkilledProcessResumesBitForBit() throws Exception {
    Path state = tmp.resolve("state.bin");
    Path out1 = tmp.resolve("killed.bin");
    Path out2 = tmp.resolve("resumed.bin");
    int epochs = ResumeChild.EPOCHS;
    Process p = ResumeChild.start(state, out1, true);
    // Wait until a state exists mid-way, then kill -9.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    int killedAfter = -1;
    while (System.nanoTime() < deadline && p.isAlive()) {
      if (Files.exists(state)) {
        killedAfter = TrainingState.read(state).epoch();
        if (killedAfter >= 2) {
          break;
        }
      }
      Thread.sleep(20);
    }
    assertTrue(p.isAlive(), "the child finished or died before it could be killed: " + ResumeChild.log(p));
    new ProcessBuilder("kill", "-9", Long.toString(p.pid())).inheritIO().start().waitFor();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(137, p.exitValue(), "not killed by SIGKILL");
    assertFalse(Files.exists(out1), "the killed child wrote its result");
    int stateEpoch = TrainingState.read(state).epoch();
    assertTrue(stateEpoch >= 2 && stateEpoch < epochs, "state at epoch " + stateEpoch);

    Process q = ResumeChild.start(state, out2, false);
    assertTrue(q.waitFor(120, TimeUnit.SECONDS), "resumed child hangs");
    assertEquals(0, q.exitValue(), ResumeChild.log(q));
    assertTrue(Files.exists(out2));
    ModelState resumed = TrainingState.read(state).model(); // the state after the last epoch

    TrainedModel uninterrupted = new Trainer(ResumeChild.config(), TrainingListener.silent()).train(arch(), data());
    System.out.printf("SIGKILL resume: killed with the state at epoch %d of %d, resumed to the end%n", stateEpoch, epochs);
    assertEquals(uninterrupted.state(), resumed, "resumed weights differ from the uninterrupted training");
    assertNotEquals(ModelState.initial(arch(), 11), resumed);
  }

  /** Writes a model's state to a file (for the child process to report its result). */
  static void writeResult(TrainedModel m, Path file) throws IOException {
    Files.writeString(file, "epochs " + m.epochsRun());
  }
}
