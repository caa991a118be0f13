package org.hesspec.experiments.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.hesspec.data.Dataset;
import org.hesspec.data.FashionMnist;
import org.hesspec.data.ImageTransforms;
import org.hesspec.data.PerClassSampler;
import org.hesspec.data.Split;
import org.hesspec.model.train.InferenceModel;
import org.hesspec.model.train.LearningRateSchedule;
import org.hesspec.model.train.TrainedModel;
import org.hesspec.model.train.Trainer;
import org.hesspec.model.train.TrainingConfig;
import org.hesspec.model.zoo.Architecture;
import org.hesspec.model.zoo.NetworkBuilder;
import org.hesspec.model.zoo.ResNet18;
import org.hesspec.model.zoo.Vgg11;

/**
 * The {@code train_epoch} workload: wall time of one training epoch as the trainer runs it (SGD
 * with momentum 0.9, weight decay 5e-4, batch 128, batch norm with batch statistics) of a
 * reference network on Fashion-MNIST padded to 32x32x3. The default is what the paper
 * experiments train: VGG11_bn at width {@link #WIDTH} on {@link #EXAMPLES} images.
 *
 * <p>Timing: the trainer runs {@code warmup + runs + 1} epochs, evaluating only after the last;
 * epoch k's time is the wall time between the end of epoch k-1 and the end of epoch k, for the
 * {@code runs} epochs after the warm-up (the first epoch builds kernels and caches; the last one
 * includes the evaluation and is not counted). {@code train_evaluation} times, on its own, the
 * inference pass over the training set that a real training adds after every epoch.
 *
 * @param architecture vgg11_bn or resnet18
 * @param width width multiplier (ResNet18: base width 64 x multiplier)
 * @param examples training images, a per-class subsample of Fashion-MNIST's training split
 */
public record TrainEpochBench(String architecture, double width, int examples) {

  /** The workload's name in {@code hesspec bench}. */
  public static final String NAME = "train_epoch";
  /** VGG11_bn width multiplier of the paper experiments. */
  public static final double WIDTH = 0.125;
  /** Training images of the benchmark (500 per class). */
  public static final int EXAMPLES = 5000;
  public static final int BATCH = 128;

  /** The benchmark's default: VGG11_bn at {@link #WIDTH} on {@link #EXAMPLES} images. */
  public static TrainEpochBench standard() {
    return new TrainEpochBench("vgg11_bn", WIDTH, EXAMPLES);
  }

  public Architecture network() {
    List<Integer> shape = List.of(32, 32, 3);
    return switch (architecture) {
      case "vgg11_bn" -> new Vgg11(shape, width, 10, true);
      case "resnet18" -> new ResNet18(shape, Math.max(1, (int) Math.round(64 * width)), 10);
      default -> throw new IllegalArgumentException("architecture " + architecture + ": expected vgg11_bn or resnet18");
    };
  }

  /** {@code examples} Fashion-MNIST training images (an equal number per class), padded to 32x32x3. */
  public Dataset data() {
    if (examples % 10 != 0) {
      throw new IllegalArgumentException("examples must be a multiple of 10 (per-class sample), got " + examples);
    }
    Dataset all = FashionMnist.load(Split.TRAIN);
    return ImageTransforms.toCifarShape(PerClassSampler.sample(all, examples / 10, BenchWorkload.SEED));
  }

  /** Times {@code runs} epochs after {@code warmup} with {@code threads} intra-op threads; returns the rows. */
  public List<BenchRow> run(int threads, int warmup, int runs, Consumer<String> log) {
    Architecture arch = network();
    Dataset data = data();
    int epochs = warmup + runs + 1;
    TrainingConfig c = TrainingConfig.defaults(BenchWorkload.SEED).withEpochs(epochs).withBatchSize(BATCH)
        .withSchedule(new LearningRateSchedule.Constant(0.01)).withWeightDecay(5e-4).withMomentum(0.9)
        .withTargetTrainAccuracy(Double.NaN).withEvaluateEvery(epochs).withThreads(threads, 1);
    List<Long> ends = new ArrayList<>();
    TrainedModel trained = new Trainer(c, r -> ends.add(System.nanoTime())).train(arch, data);
    double[] t = new double[runs];
    for (int i = 0; i < runs; i++) {
      t[i] = (ends.get(warmup + i) - ends.get(warmup + i - 1)) / 1e9;
    }
    double[] sorted = t.clone();
    Arrays.sort(sorted);
    double median = runs % 2 == 1 ? sorted[runs / 2] : (sorted[runs / 2 - 1] + sorted[runs / 2]) / 2;
    long p = NetworkBuilder.parameterCount(arch);
    // A real training also evaluates the whole training set after every epoch (targets,
    // first_zero_error): one inference-mode pass in batches of 1000, timed on its own.
    Timing evaluation;
    try (InferenceModel m = InferenceModel.of(trained)) {
      evaluation = Timing.of(() -> m.logits(data, c.evalBatchSize()), 1, runs);
    }
    log.accept(String.format("  [%s] %s width %s, %d images, batch %d, p = %d: epoch median %.3f s  min %.3f  max %.3f  (%d runs);"
        + " evaluating the training set %.3f s", NAME, architecture, width, examples, BATCH, p, median, sorted[0],
        sorted[runs - 1], runs, evaluation.median()));
    return List.of(new BenchRow(NAME, "hesspec", "params", "count", p, p, p, 1, threads),
        new BenchRow(NAME, "hesspec", NAME, "s", median, sorted[0], sorted[runs - 1], runs, threads),
        BenchRow.of(NAME, "hesspec", "train_evaluation", "s", evaluation, threads),
        // this JVM's peak resident memory (VmHWM): data, model, training graph and TensorFlow's runtime
        BenchRow.single(NAME, "hesspec", "peak_rss_mib", BenchRow.MIB, PeakMemory.mib(), threads));
  }

  /**
   * Epoch times of any configuration, for choosing what fits a time budget:
   * {@code TrainEpochBench ARCH WIDTH EXAMPLES [THREADS] [RUNS]}.
   */
  public static void main(String[] args) {
    if (args.length < 3) {
      System.err.println("usage: TrainEpochBench vgg11_bn|resnet18 WIDTH EXAMPLES [THREADS] [RUNS]");
      System.exit(2);
    }
    int threads = args.length > 3 ? Integer.parseInt(args[3]) : Runtime.getRuntime().availableProcessors();
    int runs = args.length > 4 ? Integer.parseInt(args[4]) : 3;
    new TrainEpochBench(args[0], Double.parseDouble(args[1]), Integer.parseInt(args[2])).run(threads, 1, runs, System.out::println);
  }
}
