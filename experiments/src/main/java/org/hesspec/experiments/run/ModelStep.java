package org.hesspec.experiments.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.hesspec.data.Dataset;
import org.hesspec.experiments.config.ExperimentConfig;
import org.hesspec.experiments.config.ModelConfig;
import org.hesspec.experiments.config.SweepConfig;
import org.hesspec.experiments.config.TrainConfig;
import org.hesspec.model.ModelDefinition;
import org.hesspec.model.OutputKind;
import org.hesspec.model.Precision;
import org.hesspec.model.SavedModelImporter;
import org.hesspec.model.grad.DerivativeSupport;
import org.hesspec.model.grad.OpSupport;
import org.hesspec.model.train.Checkpoints;
import org.hesspec.model.train.LearningRateSchedule;
import org.hesspec.model.train.ModelMetadata;
import org.hesspec.model.train.SavedModelExporter;
import org.hesspec.model.train.TrainedModel;
import org.hesspec.model.train.Trainer;
import org.hesspec.model.train.TrainingConfig;
import org.hesspec.model.train.TrainingListener;
import org.hesspec.model.zoo.Architecture;
import org.hesspec.model.zoo.ReferenceArchitecture;

/**
 * The model of an experiment: trains and exports it when {@code model.train} is given and the
 * SavedModel is missing, then imports it at the experiment's precision.
 *
 * <p>With a sweep, each sweep value trains its own model (the paper trains one network per
 * training-set size): the SavedModel goes to {@code <savedmodel>-<sweep value>}. A sweep over
 * {@code model.checkpoint} is the exception: its points analyse checkpoints of one training, so
 * that axis does not enter the folder name.
 *
 * <p>Checkpoints ({@code model.train.checkpoints}) are exported while training runs, each as a
 * SavedModel of its own beside the final one: {@code <savedmodel>@epoch-<n>} and
 * {@code <savedmodel>@first_zero_error}, with {@code hesspec-model.json} recording the checkpoint,
 * its epoch ({@code training.epochs_run}) and its train (and test) loss and accuracy.
 *
 * <p>The trainer keeps its own state in {@code <savedmodel>.training-state} (weights, momentum
 * buffers, batch-norm statistics, epoch) every {@value #STATE_EVERY_EPOCHS} epochs and at least
 * every {@value #STATE_EVERY_MINUTES} minutes; a killed training started again (by {@code hesspec
 * train}, or {@code hesspec run ... --resume}) continues from it bit for bit. The file is deleted
 * once the final model is exported.
 */
final class ModelStep {
  private ModelStep() {}

  /** The resume state is written after every this many epochs. */
  static final int STATE_EVERY_EPOCHS = 10;
  /** ... and after any epoch that ends this many minutes or more after the last write. */
  static final int STATE_EVERY_MINUTES = 5;

  /** The sweep axis that selects a checkpoint of one training rather than a training of its own. */
  static final String CHECKPOINT_AXIS = "model.checkpoint";

  /** Where this sweep point's trained (final) SavedModel lives. */
  static Path savedModel(ExperimentConfig c) {
    Path base = c.model().savedModel();
    String value = trainingSweepValue(c);
    if (c.model().train().isEmpty() || value.isEmpty()) {
      return base;
    }
    String suffix = value.replaceAll("[^A-Za-z0-9._=-]", "_");
    return base.resolveSibling(base.getFileName() + "-" + suffix);
  }

  /** The SavedModel this point analyses: the final model, or the checkpoint {@code model.checkpoint} names. */
  static Path analysedModel(ExperimentConfig c) {
    return checkpointDir(savedModel(c), c.model().checkpoint());
  }

  /** {@code dir} for the final model, {@code dir@first_zero_error} or {@code dir@epoch-<n>} for a checkpoint. */
  static Path checkpointDir(Path dir, String checkpoint) {
    if (checkpoint.equals(TrainConfig.FINAL)) {
      return dir;
    }
    String label = checkpoint.equals(TrainConfig.FIRST_ZERO_ERROR) ? Checkpoints.FIRST_ZERO_ERROR
        : Checkpoints.epochLabel(Integer.parseInt(checkpoint));
    return dir.resolveSibling(dir.getFileName() + "@" + label);
  }

  /** The trainer's resume state of the training that exports {@code dir}. */
  static Path stateFile(Path dir) {
    return dir.resolveSibling(dir.getFileName() + ".training-state");
  }

  /**
   * The point's sweep label without the {@code model.checkpoint} axis: points that differ only
   * in the checkpoint share one training. Labels of several axes are {@code key=value} pairs
   * joined by {@code ;} in axis order (see {@code SweepConfig.label}).
   */
  static String trainingSweepValue(ExperimentConfig c) {
    List<SweepConfig.Axis> axes = c.sweep().axes();
    if (axes.isEmpty()) {
      return ""; // no sweep: the model folder is savedmodel itself (the sweep column says none)
    }
    boolean hasCheckpointAxis = axes.stream().anyMatch(a -> a.keyPath().equals(CHECKPOINT_AXIS));
    if (!hasCheckpointAxis) {
      return c.sweepValue();
    }
    if (axes.size() == 1) {
      return "";
    }
    String label = c.sweepValue();
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < axes.size(); i++) {
      String prefix = axes.get(i).keyPath() + "=";
      int end = label.length();
      if (i + 1 < axes.size()) {
        int next = label.indexOf(";" + axes.get(i + 1).keyPath() + "=");
        end = next < 0 ? label.length() : next;
      }
      String piece = label.substring(0, end);
      label = end < label.length() ? label.substring(end + 1) : "";
      if (!axes.get(i).keyPath().equals(CHECKPOINT_AXIS)) {
        kept.add(kept.isEmpty() && axes.size() == 2 ? piece.substring(Math.min(prefix.length(), piece.length())) : piece);
      }
    }
    return String.join(";", kept);
  }

  /** True when the SavedModel folder holds a model. */
  static boolean exists(Path dir) {
    return Files.isRegularFile(dir.resolve("saved_model.pb"));
  }

  /**
   * Trains and exports the model if it is missing and the experiment says how (resuming an
   * interrupted training); returns the folder of the model this point analyses.
   */
  static Path ensure(ExperimentConfig c, ExperimentData data, TrainingListener listener, Consumer<String> log) {
    Path dir = savedModel(c);
    if (!exists(dir)) {
      train(c, data, listener, log);
    }
    Path analysed = analysedModel(c);
    if (!exists(analysed)) {
      throw new RunInputException(c.file() + ": model.checkpoint " + c.model().checkpoint() + ": " + analysed + " does not exist"
          + (c.model().checkpoint().equals(TrainConfig.FIRST_ZERO_ERROR)
              ? " (the training never reached zero training error; see " + dir.resolve(ModelMetadata.FILE_NAME) + ")"
              : " (the training stopped before that epoch, or " + dir + " was trained without that checkpoint; delete it to retrain)"));
    }
    return analysed;
  }

  /** Trains the point's model, exporting its checkpoints as they are reached and the final model at the end. */
  static Path train(ExperimentConfig c, ExperimentData data, TrainingListener listener, Consumer<String> log) {
    return train(c, data, listener, log, STATE_EVERY_EPOCHS);
  }

  /** As {@link #train(ExperimentConfig, ExperimentData, TrainingListener, Consumer)}, the resume state written every {@code stateEveryEpochs}. */
  static Path train(ExperimentConfig c, ExperimentData data, TrainingListener listener, Consumer<String> log, int stateEveryEpochs) {
    Path dir = savedModel(c);
    TrainConfig t = c.model().train().orElseThrow(() -> new RunInputException(
        c.file() + ": model.savedmodel '" + dir + "' has no saved_model.pb and model.train is not given"));
    Architecture arch = architecture(t, data.train());
    Path state = stateFile(dir);
    log.accept((Files.exists(state) ? "resuming the training from " + state + ": " : "training ") + t.architecture().yamlName()
        + " on " + data.train().size() + " examples (" + t.epochs() + " epochs at most), exporting to " + dir
        + (t.checkpoints().isEmpty() ? "" : " and checkpoints " + t.checkpoints()));
    Trainer trainer = new Trainer(trainingConfig(t, c.seed()), listener)
        .withCheckpoints(checkpoints(t), s -> {
          Path to = dir.resolveSibling(dir.getFileName() + "@" + s.label());
          export(s.model(), ModelMetadata.ofCheckpoint(s.model(), s.label()), to);
          log.accept(String.format("checkpoint %s (epoch %d, train loss %.4g, accuracy %.4f): %s", s.label(), s.model().epochsRun(),
              s.model().train().loss(), s.model().train().accuracy(), to));
        })
        .withResumeState(state, stateEveryEpochs, Duration.ofMinutes(STATE_EVERY_MINUTES));
    TrainedModel m = trainer.train(arch, data.train(), data.test());
    export(m, ModelMetadata.of(m), dir);
    try {
      Files.deleteIfExists(state);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the training state " + state, e);
    }
    log.accept(String.format("trained: %d epochs, train accuracy %.4f, loss %.4g%s", m.epochsRun(), m.train().accuracy(),
        m.train().loss(), m.test() == null ? "" : String.format(", test accuracy %.4f", m.test().accuracy())));
    return dir;
  }

  private static void export(TrainedModel m, ModelMetadata meta, Path dir) {
    try {
      // Replacing: a resumed training re-exports a checkpoint it passed before the kill (the same model).
      new SavedModelExporter(true).export(m.architecture(), m.state(), meta, dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot export the trained model to " + dir, e);
    }
  }

  static Checkpoints checkpoints(TrainConfig t) {
    TreeSet<Integer> epochs = new TreeSet<>();
    boolean zero = false;
    for (String c : t.checkpoints()) {
      if (c.equals(TrainConfig.FIRST_ZERO_ERROR)) {
        zero = true;
      } else {
        epochs.add(Integer.parseInt(c));
      }
    }
    return new Checkpoints(zero, epochs);
  }

  /** Imports the SavedModel as a function of theta at the experiment's precision. */
  static ModelDefinition load(ExperimentConfig c, Path dir) {
    ModelConfig m = c.model();
    OutputKind kind = m.outputKind();
    Precision p = c.precision();
    ModelDefinition model = SavedModelImporter.load(dir,
        new SavedModelImporter.Options(m.signature(), m.input().orElse(null), m.output().orElse(null), kind, p));
    requireSecondDerivatives(model);
    return model;
  }

  /** Fails before any analysis when an op between the parameters and the output lacks a needed derivative. */
  static void requireSecondDerivatives(ModelDefinition model) {
    List<OpSupport> missing = DerivativeSupport.analyze(model).stream().filter(s -> !s.supported()).toList();
    if (!missing.isEmpty()) {
      throw new RunInputException(model.source() + ": these ops lack a derivative the curvature products need: "
          + missing.stream().map(s -> s.opType() + " (missing " + s.missing() + ")").toList()
          + "; see hesspec inspect " + model.source());
    }
  }

  static Architecture architecture(TrainConfig t, Dataset train) {
    List<Integer> shape = java.util.Arrays.stream(train.exampleShape()).boxed().toList();
    return t.architecture().build(shape, train.numClasses(),
        new ReferenceArchitecture.Options(t.hidden(), t.activation(), t.widthMultiplier()));
  }

  static TrainingConfig trainingConfig(TrainConfig t, long seed) {
    LearningRateSchedule schedule = switch (t.schedule()) {
      case CONSTANT -> new LearningRateSchedule.Constant(t.learningRate());
      // Papyan's protocol: lr/10 at floor(E/3) and floor(2E/3), exactly two drops
      case STEP -> LearningRateSchedule.MultiStep.thirds(t.learningRate(), t.epochs());
      case COSINE -> new LearningRateSchedule.Cosine(t.learningRate(), 0);
    };
    TrainingConfig cfg = TrainingConfig.defaults(seed).withEpochs(t.epochs()).withBatchSize(t.batchSize()).withSchedule(schedule)
        .withMomentum(t.momentum()).withWeightDecay(t.weightDecay());
    // Without target_train_accuracy the documented behaviour is to train every epoch; the
    // library default (stop at zero training error) must not leak in.
    return cfg.withTargetTrainAccuracy(t.targetTrainAccuracy().orElse(Double.NaN))
        .withTargetTrainLoss(t.targetTrainLoss().orElse(Double.NaN));
  }
}
