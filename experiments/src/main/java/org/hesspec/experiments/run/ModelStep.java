package org.hesspec.experiments.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.hesspec.data.Dataset;
import org.hesspec.experiments.config.ExperimentConfig;
import org.hesspec.experiments.config.ModelConfig;
import org.hesspec.experiments.config.TrainConfig;
import org.hesspec.model.ModelDefinition;
import org.hesspec.model.OutputKind;
import org.hesspec.model.Precision;
import org.hesspec.model.SavedModelImporter;
import org.hesspec.model.grad.DerivativeSupport;
import org.hesspec.model.grad.OpSupport;
import org.hesspec.model.train.LearningRateSchedule;
import org.hesspec.model.train.SavedModelExporter;
import org.hesspec.model.train.TrainedModel;
import org.hesspec.model.train.Trainer;
import org.hesspec.model.train.TrainingConfig;
import org.hesspec.model.train.TrainingListener;
import org.hesspec.model.zoo.Activation;
import org.hesspec.model.zoo.Architecture;
import org.hesspec.model.zoo.LeNet;
import org.hesspec.model.zoo.Mlp;
import org.hesspec.model.zoo.ResNet18;
import org.hesspec.model.zoo.Vgg11;

/**
 * The model of an experiment: trains and exports it when {@code model.train} is given and the
 * SavedModel is missing, then imports it at the experiment's precision.
 *
 * <p>With a sweep, each sweep value trains its own model (the paper trains one network per
 * training-set size): the SavedModel goes to {@code <savedmodel>-<sweep value>}.
 */
final class ModelStep {
  private ModelStep() {}

  /** Where this sweep point's SavedModel lives. */
  static Path savedModel(ExperimentConfig c) {
    Path base = c.model().savedModel();
    if (c.model().train().isEmpty() || c.sweep().axes().isEmpty()) {
      return base;
    }
    String suffix = c.sweepValue().replaceAll("[^A-Za-z0-9._=-]", "_");
    return base.resolveSibling(base.getFileName() + "-" + suffix);
  }

  /** True when the SavedModel folder holds a model. */
  static boolean exists(Path dir) {
    return Files.isRegularFile(dir.resolve("saved_model.pb"));
  }

  /** Trains and exports the model if it is missing and the experiment says how; returns its folder. */
  static Path ensure(ExperimentConfig c, ExperimentData data, TrainingListener listener, Consumer<String> log) {
    Path dir = savedModel(c);
    if (exists(dir)) {
      return dir;
    }
    TrainConfig t = c.model().train().orElseThrow(() -> new RunInputException(
        c.file() + ": model.savedmodel '" + dir + "' has no saved_model.pb and model.train is not given"));
    Architecture arch = architecture(t, data.train());
    log.accept("training " + t.architecture().yamlName() + " on " + data.train().size() + " examples (" + t.epochs()
        + " epochs at most), exporting to " + dir);
    TrainedModel m = new Trainer(trainingConfig(t, c.seed()), listener).train(arch, data.train(), data.test());
    try {
      new SavedModelExporter().export(m, dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot export the trained model to " + dir, e);
    }
    log.accept(String.format("trained: %d epochs, train accuracy %.4f, loss %.4g%s", m.epochsRun(), m.train().accuracy(),
        m.train().loss(), m.test() == null ? "" : String.format(", test accuracy %.4f", m.test().accuracy())));
    return dir;
  }

  /** Imports the SavedModel as a function of theta at the experiment's precision. */
  static ModelDefinition load(ExperimentConfig c, Path dir) {
    ModelConfig m = c.model();
    OutputKind kind = switch (m.outputKind()) {
      case LOGITS -> OutputKind.LOGITS;
      case PROBABILITIES -> OutputKind.PROBABILITIES;
      case LOG_PROBABILITIES -> OutputKind.LOG_PROBABILITIES;
    };
    Precision p = c.precision() == ExperimentConfig.Precision.FLOAT64 ? Precision.FLOAT64 : Precision.FLOAT32;
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
    int c = train.numClasses();
    Activation act = Activation.parse(t.activation().yamlName());
    return switch (t.architecture()) {
      case MLP -> new Mlp(shape, t.hidden(), act, c);
      case LENET -> new LeNet(shape, 6, 16, act, c);
      case VGG11 -> new Vgg11(shape, t.widthMultiplier(), c);
      case RESNET18 -> new ResNet18(shape, (int) Math.max(1, Math.round(64 * t.widthMultiplier())), c);
    };
  }

  static TrainingConfig trainingConfig(TrainConfig t, long seed) {
    LearningRateSchedule schedule = switch (t.schedule()) {
      case CONSTANT -> new LearningRateSchedule.Constant(t.learningRate());
      case STEP -> new LearningRateSchedule.Step(t.learningRate(), 0.1, Math.max(1, t.epochs() / 3));
      case COSINE -> new LearningRateSchedule.Cosine(t.learningRate(), 0);
    };
    TrainingConfig cfg = TrainingConfig.defaults(seed).withEpochs(t.epochs()).withBatchSize(t.batchSize()).withSchedule(schedule)
        .withMomentum(t.momentum()).withWeightDecay(t.weightDecay());
    // Without target_train_accuracy the documented behaviour is to train every epoch; the
    // library default (stop at zero training error) must not leak in.
    return cfg.withTargetTrainAccuracy(t.targetTrainAccuracy().orElse(Double.NaN));
  }
}
