package org.hesspec.model.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hesspec.json.Json;
import org.hesspec.data.Dataset;
import org.hesspec.model.zoo.Architecture;

/**
 * Trains a reference network on a labelled data set, as the paper does: SGD with momentum on mean
 * softmax cross-entropy until the training error reaches its target or the epoch budget ends.
 *
 * <p>Deterministic: the initial parameters depend only on the seed and the parameter names, the
 * example order of each epoch only on the seed and the epoch, and the session runs with the
 * configured thread counts; the same seed on the same machine gives the same weights bit for bit.
 *
 * <p>Optionally it hands out intermediate models ({@link #withCheckpoints}: after given epochs, at
 * the first epoch with zero training error) and keeps a resume state ({@link #withResumeState})
 * from which a killed training continues bit for bit. Neither changes the training.
 *
 * <pre>{@code
 * TrainedModel m = new Trainer(TrainingConfig.defaults(7).withEpochs(50)).train(arch, train, test);
 * }</pre>
 */
public final class Trainer {

  private final TrainingConfig config;
  private final TrainingListener listener;
  private final Checkpoints checkpoints;
  private final Checkpoints.Sink sink;
  private final Path stateFile;
  private final int stateEveryEpochs;
  private final Duration stateEvery;

  /** A trainer that reports progress on the console. */
  public Trainer(TrainingConfig config) {
    this(config, TrainingListener.console());
  }

  public Trainer(TrainingConfig config, TrainingListener listener) {
    this(config, listener, Checkpoints.NONE, s -> { }, null, 0, Duration.ZERO);
  }

  private Trainer(TrainingConfig config, TrainingListener listener, Checkpoints checkpoints, Checkpoints.Sink sink,
      Path stateFile, int stateEveryEpochs, Duration stateEvery) {
    this.config = config;
    this.listener = listener;
    this.checkpoints = checkpoints;
    this.sink = sink;
    this.stateFile = stateFile;
    this.stateEveryEpochs = stateEveryEpochs;
    this.stateEvery = stateEvery;
  }

  /**
   * This trainer, also handing the models at {@code checkpoints} to {@code sink} as they are
   * reached (the final model is the return value of {@link #train}, not a checkpoint).
   */
  public Trainer withCheckpoints(Checkpoints checkpoints, Checkpoints.Sink sink) {
    return new Trainer(config, listener, checkpoints, sink, stateFile, stateEveryEpochs, stateEvery);
  }

  /**
   * This trainer, keeping its own state (parameters, momentum buffers, batch-norm statistics,
   * epoch, progress) in {@code file}: written atomically after every {@code everyEpochs}-th epoch,
   * after any epoch that ends {@code every} or more after the last write, and after the last
   * epoch. When {@code file} exists at the start of {@link #train}, training continues from it and
   * gives the same model, bit for bit, as a training that was never interrupted (same machine and
   * thread settings). A state from a different training (architecture, settings or data) is an
   * error. The file is left in place at the end; delete it once the model is saved.
   *
   * @param everyEpochs write every this many epochs (0: only by time and at the end)
   * @param every write when this much time has passed since the last write (zero: only by epochs)
   */
  public Trainer withResumeState(Path file, int everyEpochs, Duration every) {
    if (everyEpochs < 0 || every.isNegative()) {
      throw new IllegalArgumentException("state intervals must be >= 0");
    }
    return new Trainer(config, listener, checkpoints, sink, file, everyEpochs, every);
  }

  /** Trains without a test set. */
  public TrainedModel train(Architecture arch, Dataset train) {
    return train(arch, train, null);
  }

  /**
   * Trains {@code arch} on {@code train} from the seeded initial state (or from the resume state).
   * Stops when the epoch budget ends or after an evaluation that reaches a target (training
   * accuracy, training loss).
   *
   * @param test optional evaluation set (null for none), evaluated at the end and at each checkpoint
   */
  public TrainedModel train(Architecture arch, Dataset train, Dataset test) {
    check(arch, train, "training");
    if (test != null) {
      check(arch, test, "test");
    }
    long start = System.nanoTime();
    int n = train.size();
    int stepsPerEpoch = (n + config.batchSize() - 1) / config.batchSize();
    String fingerprint = fingerprint(arch, train);
    try (TrainingGraph g = new TrainingGraph(arch, config)) {
      int epoch = 0;
      int firstZeroError = 0;
      boolean reached = false;
      long before = 0;
      TrainingState resumed = stateFile != null && Files.exists(stateFile) ? TrainingState.read(stateFile) : null;
      if (resumed != null) {
        if (!fingerprint.equals(resumed.fingerprint())) {
          throw new IllegalArgumentException(stateFile + " is the state of a different training (architecture, settings or data); "
              + "delete it to train from the start");
        }
        g.initialise(resumed.model(), resumed.momentum());
        epoch = resumed.epoch();
        firstZeroError = resumed.firstZeroErrorEpoch();
        reached = resumed.reachedTarget();
        before = resumed.elapsedMillis();
      } else {
        g.initialise(ModelState.initial(g.network(), config.seed()));
      }
      Metrics trainMetrics = null;
      long lastSave = System.nanoTime();
      while (epoch < config.epochs() && !reached) {
        int[] order = EpochOrder.permutation(n, config.seed(), epoch);
        double lossSum = 0;
        double lr = Double.NaN;
        for (int s = 0; s < stepsPerEpoch; s++) {
          int from = s * config.batchSize();
          int to = Math.min(n, from + config.batchSize());
          lr = config.schedule().rate(epoch, (double) s / stepsPerEpoch, config.epochs());
          float loss = g.step(train.subset(Arrays.copyOfRange(order, from, to)), (float) lr);
          if (!Float.isFinite(loss)) {
            throw new IllegalStateException("training diverged at epoch " + (epoch + 1) + ", step " + (s + 1)
                + " (loss " + loss + "); lower the learning rate");
          }
          lossSum += loss;
        }
        epoch++;
        trainMetrics = null;
        if (epoch % config.evaluateEvery() == 0 || epoch == config.epochs()) {
          trainMetrics = Metrics.of(g.logits(train, config.evalBatchSize()), train.labels(), arch.numClasses());
          reached = reached(trainMetrics);
        }
        Duration elapsed = Duration.ofMillis(before).plusNanos(System.nanoTime() - start);
        boolean zeroNow = firstZeroError == 0 && trainMetrics != null && trainMetrics.accuracy() == 1.0;
        if (zeroNow) {
          firstZeroError = epoch;
        }
        if (zeroNow && checkpoints.firstZeroError()) {
          sink.accept(snapshot(Checkpoints.FIRST_ZERO_ERROR, arch, g, train, test, trainMetrics, epoch, reached, elapsed));
        }
        if (checkpoints.epochs().contains(epoch)) {
          sink.accept(snapshot(Checkpoints.epochLabel(epoch), arch, g, train, test, trainMetrics, epoch, reached, elapsed));
        }
        boolean last = epoch == config.epochs() || reached;
        boolean byEpoch = stateEveryEpochs > 0 && epoch % stateEveryEpochs == 0;
        boolean byTime = !stateEvery.isZero() && System.nanoTime() - lastSave >= stateEvery.toNanos();
        if (stateFile != null && (last || byEpoch || byTime)) {
          new TrainingState(fingerprint, epoch, firstZeroError, reached, elapsed.toMillis(), g.state(), g.momentum()).write(stateFile);
          lastSave = System.nanoTime();
        }
        Duration eta = elapsed.dividedBy(epoch).multipliedBy(config.epochs() - epoch);
        listener.onEpoch(new EpochReport(epoch, config.epochs(), lossSum / stepsPerEpoch, trainMetrics, lr, elapsed, eta));
      }
      if (trainMetrics == null) {
        trainMetrics = Metrics.of(g.logits(train, config.evalBatchSize()), train.labels(), arch.numClasses());
      }
      Metrics testMetrics = test == null ? null : Metrics.of(g.logits(test, config.evalBatchSize()), test.labels(), arch.numClasses());
      ModelState state = g.state();
      return new TrainedModel(arch, state, config, DataDescription.of(train), test == null ? null : DataDescription.of(test),
          epoch, reached, trainMetrics, testMetrics, Duration.ofMillis(before).plusNanos(System.nanoTime() - start));
    }
  }

  private boolean reached(Metrics m) {
    boolean accuracy = !Double.isNaN(config.targetTrainAccuracy()) && m.accuracy() >= config.targetTrainAccuracy();
    boolean loss = !Double.isNaN(config.targetTrainLoss()) && m.loss() <= config.targetTrainLoss();
    return accuracy || loss;
  }

  private Checkpoints.Snapshot snapshot(String label, Architecture arch, TrainingGraph g, Dataset train, Dataset test,
      Metrics trainMetrics, int epoch, boolean reached, Duration elapsed) {
    Metrics tm = trainMetrics != null ? trainMetrics : Metrics.of(g.logits(train, config.evalBatchSize()), train.labels(), arch.numClasses());
    Metrics te = test == null ? null : Metrics.of(g.logits(test, config.evalBatchSize()), test.labels(), arch.numClasses());
    return new Checkpoints.Snapshot(label, new TrainedModel(arch, g.state(), config, DataDescription.of(train),
        test == null ? null : DataDescription.of(test), epoch, reached, tm, te, elapsed));
  }

  /**
   * What a resume state must match: the architecture, every training setting and the training
   * data (description, labels and a hash of the feature bits).
   */
  private String fingerprint(Architecture arch, Dataset train) {
    long h = 0xcbf29ce484222325L;
    for (float x : train.features()) {
      h = (h ^ Float.floatToRawIntBits(x)) * 0x100000001b3L;
    }
    for (int y : train.labels()) {
      h = (h ^ y) * 0x100000001b3L;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("architecture", arch.describe());
    m.put("training", config.describe());
    m.put("seed", config.seed());
    m.put("eval_batch_size", config.evalBatchSize());
    m.put("data", DataDescription.of(train).describe());
    m.put("data_hash", Long.toHexString(h));
    return Json.write(m);
  }

  private static void check(Architecture arch, Dataset d, String role) {
    arch.requireInput(d.exampleShape());
    if (d.labels() == null) {
      throw new IllegalArgumentException("the " + role + " set " + d.name() + " has no class labels");
    }
    if (d.numClasses() != arch.numClasses()) {
      throw new IllegalArgumentException("the " + role + " set " + d.name() + " has " + d.numClasses()
          + " classes but the " + arch.kind() + " has " + arch.numClasses() + " outputs");
    }
    if (d.size() == 0) {
      throw new IllegalArgumentException("the " + role + " set " + d.name() + " is empty");
    }
  }
}
