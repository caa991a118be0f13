package org.hesspec.model.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;
import org.hesspec.data.Dataset;
import org.hesspec.model.zoo.Architecture;
import org.hesspec.model.zoo.Network;
import org.hesspec.model.zoo.NetworkBuilder;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;

/**
 * A network in its serving form, holding given values: the clean inference graph (input
 * {@code x}, output {@code logits}, parameters as {@code VariableV2}, batch-norm statistics as
 * constants, no optimizer state) and a session in which the variables hold the values. This is
 * what gets exported as a SavedModel. Owns its {@link Graph} and {@link Session}.
 */
public final class InferenceModel implements AutoCloseable {

  /** The SavedModel tag. */
  public static final String TAG = SavedModelBundle.DEFAULT_TAG;
  /** The signature key. */
  public static final String SIGNATURE_KEY = Signature.DEFAULT_KEY;

  private final Architecture architecture;
  private final Graph graph;
  private final Session session;
  private final Network net;

  private InferenceModel(Architecture architecture, ModelState state) {
    this.architecture = architecture;
    graph = new Graph();
    Session s = null;
    try {
      net = NetworkBuilder.serving(graph, architecture, state.statisticsByName());
      checkMatches(net, state);
      s = new Session(graph);
      load(s, state);
      session = s;
    } catch (RuntimeException e) {
      if (s != null) {
        s.close();
      }
      graph.close();
      throw e;
    }
  }

  /** The serving form of {@code arch} holding {@code state}. */
  public static InferenceModel of(Architecture arch, ModelState state) {
    return new InferenceModel(arch, state);
  }

  /** The serving form of a trained model. */
  public static InferenceModel of(TrainedModel model) {
    return new InferenceModel(model.architecture(), model.state());
  }

  public Architecture architecture() {
    return architecture;
  }

  /** The network map of the serving graph. */
  public Network network() {
    return net;
  }

  /** {@code serving_default}: input {@code x}, output {@code logits}. */
  public Signature signature() {
    return Signature.builder().key(SIGNATURE_KEY).input(NetworkBuilder.INPUT, net.x()).output(NetworkBuilder.OUTPUT, net.logits())
        .methodName("tensorflow/serving/predict").build();
  }

  /** Logits [n, C] of a data set, row-major, in batches of {@code batchSize}. */
  public float[] logits(Dataset data, int batchSize) {
    architecture.requireInput(data.exampleShape());
    return Tensors.logits(session, net, data, batchSize, architecture.numClasses());
  }

  /** Writes the SavedModel (graph, signature, variables) into {@code dir}, which should be empty. */
  void writeSavedModel(Path dir) throws IOException {
    SavedModelBundle.exporter(dir.toString()).withTags(TAG).withSession(session).withSignature(signature()).export();
  }

  @Override
  public void close() {
    try {
      session.close();
    } finally {
      graph.close();
    }
  }

  private static void checkMatches(Network net, ModelState state) {
    if (net.parameters().size() != state.parameters().size()) {
      throw new IllegalArgumentException("the network has " + net.parameters().size() + " parameter tensors, the state "
          + state.parameters().size());
    }
    for (int i = 0; i < net.parameters().size(); i++) {
      var spec = net.parameters().get(i).spec();
      NamedTensor t = state.parameters().get(i);
      if (!spec.name().equals(t.name()) || !Arrays.equals(spec.shape(), t.shape())) {
        throw new IllegalArgumentException("parameter " + i + " is " + spec + " in the network but " + t + " in the state");
      }
    }
  }

  /** Sets the variables by writing the values to a scratch checkpoint and restoring it. */
  private static void load(Session s, ModelState state) {
    Path scratch = null;
    try {
      scratch = Files.createTempDirectory("hesspec-values-");
      String prefix = scratch.resolve("values").toString();
      CheckpointWriter.write(prefix, state.parameters());
      s.restore(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteTree(scratch);
    }
  }

  static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + dir, e);
    }
  }
}
