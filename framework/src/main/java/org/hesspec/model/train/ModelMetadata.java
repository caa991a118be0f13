package org.hesspec.model.train;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hesspec.json.Json;
import org.hesspec.model.zoo.Architecture;
import org.tensorflow.TensorFlow;

/**
 * The contents of {@code hesspec-model.json}, written beside a SavedModel: the architecture spec,
 * the data, the seed, training settings and outcome, the parameter count and the parameter
 * tensors (construction order), and versions.
 *
 * @param architecture the network
 * @param state the exported values (for names, shapes and counts)
 * @param seed the seed of the initial parameters (and of training)
 * @param training the trained model, or null for an untrained export (e.g. initial weights)
 * @param checkpoint the checkpoint's label ({@code epoch-50}, {@code first_zero_error}) when this
 *     is an intermediate model of a training, null for the final model
 */
public record ModelMetadata(Architecture architecture, ModelState state, long seed, TrainedModel training, String checkpoint) {

  /** File name of the metadata beside {@code saved_model.pb}. */
  public static final String FILE_NAME = "hesspec-model.json";
  /** Identifies the layout of this file. */
  public static final String FORMAT = "hesspec-model/1";

  public static ModelMetadata of(TrainedModel m) {
    return new ModelMetadata(m.architecture(), m.state(), m.config().seed(), m, null);
  }

  /** Metadata of a checkpoint taken during training ({@code m.epochsRun()} is the checkpoint's epoch). */
  public static ModelMetadata ofCheckpoint(TrainedModel m, String label) {
    return new ModelMetadata(m.architecture(), m.state(), m.config().seed(), m, label);
  }

  /** Metadata of a model that was not trained here (e.g. freshly initialised from {@code seed}). */
  public static ModelMetadata untrained(Architecture arch, ModelState state, long seed) {
    return new ModelMetadata(arch, state, seed, null, null);
  }

  /** The version of hesspec writing the file (the jar's, or the build's when run from classes). */
  public static String hesspecVersion() {
    String v = ModelMetadata.class.getPackage().getImplementationVersion();
    return v != null ? v : "0.1.0-SNAPSHOT";
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("hesspec_version", hesspecVersion());
    m.put("tensorflow_version", TensorFlow.version());
    m.put("created", Instant.now().toString());
    m.put("architecture", architecture.describe());
    Map<String, Object> sig = new LinkedHashMap<>();
    sig.put("tag", InferenceModel.TAG);
    sig.put("key", InferenceModel.SIGNATURE_KEY);
    sig.put("input", "x");
    sig.put("output", "logits");
    sig.put("output_kind", "logits");
    m.put("signature", sig);
    m.put("seed", seed);
    m.put("parameter_count", state.parameterCount());
    List<Object> params = new ArrayList<>();
    for (NamedTensor t : state.parameters()) {
      params.add(entry(t));
    }
    m.put("parameters", params);
    List<Object> stats = new ArrayList<>();
    for (NamedTensor t : state.statistics()) {
      stats.add(entry(t));
    }
    m.put("batch_norm_statistics", stats);
    if (training == null) {
      m.put("trained", false);
      return m;
    }
    m.put("trained", true);
    // Which model of the training this is: "final", or a checkpoint label; its epoch and metrics
    // are training.epochs_run and metrics below.
    m.put("checkpoint", checkpoint == null ? "final" : checkpoint);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("train", training.trainData().describe());
    data.put("test", training.testData() == null ? null : training.testData().describe());
    m.put("data", data);
    Map<String, Object> tr = new LinkedHashMap<>(training.config().describe());
    tr.put("epochs_run", training.epochsRun());
    tr.put("reached_target", training.reachedTarget());
    tr.put("seconds", training.duration().toMillis() / 1000.0);
    m.put("training", tr);
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("train", metrics(training.train()));
    metrics.put("test", training.test() == null ? null : metrics(training.test()));
    m.put("metrics", metrics);
    return m;
  }

  public String toJson() {
    return Json.writeNonFiniteAsNull(toMap());
  }

  private static Map<String, Object> entry(NamedTensor t) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("name", t.name());
    List<Long> shape = new ArrayList<>();
    for (long d : t.shape()) {
      shape.add(d);
    }
    e.put("shape", shape);
    return e;
  }

  private static Map<String, Object> metrics(Metrics x) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("loss", x.loss());
    e.put("accuracy", x.accuracy());
    e.put("examples", x.examples());
    return e;
  }
}
