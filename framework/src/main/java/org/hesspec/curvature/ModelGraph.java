package org.hesspec.curvature;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hesspec.model.ModelDefinition;
import org.hesspec.model.ParameterLayout;
import org.hesspec.model.ParameterTensor;
import org.hesspec.model.Precision;
import org.hesspec.model.TensorValues;
import org.hesspec.model.graph.MaxPoolArgmax;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

/**
 * The model inside a session's graph, as every curvature session uses it, local ({@link
 * CurvatureGraph}) or split into shards ({@code distributed.DistributedCurvature}): theta bound to
 * variables, the selected parameter tensors P, the logits z and their width C, the feeding of
 * p-vectors by parameter tensor, and the check of a product's finiteness, whose message names the
 * parameter tensor and element. What differs between the sessions (batches fed or resident, the
 * product cache, shards) stays with them.
 */
public final class ModelGraph {

  /**
   * What one mini-batch gives the products besides its examples: labels {@code [batch]}
   * (cross-entropy), targets {@code [batch, C]} (MSE), weights {@code w_i} {@code [batch]}, and the
   * fixed standard normal noise {@code [batch, C]} from which {@code fisher_mc} samples its labels.
   */
  public record BatchInputs(Operand<TInt32> labels, Operand<TFloating> targets, Operand<TFloating> weights, Operand<TFloating> noise) {}

  private final Graph graph;
  private final Ops tf;
  private final ModelDefinition model;
  private final Loss loss;
  private final ParameterLayout selection;
  private final List<Output<TFloating>> thetaVariables = new ArrayList<>();
  private final List<Output<TFloating>> parameters = new ArrayList<>();
  private final Operand<TFloating> logits;
  private final int numClasses;

  /**
   * Reads the model out of {@code graph}, into which {@link #bind} was imported: the theta
   * variables, the parameter tensors of {@code selection} (a {@link ParameterLayout#select} of the
   * model's layout) and the logits (log of the output when the model outputs probabilities).
   *
   * @param tf ops of {@code graph} (its sub-scope names the added ops)
   * @throws IllegalArgumentException when the output's width C is unknown (the message names the output)
   */
  @SuppressWarnings("unchecked")
  public ModelGraph(Graph graph, Ops tf, ModelDefinition model, Loss loss, ParameterLayout selection) {
    this.graph = graph;
    this.tf = tf;
    this.model = model;
    this.loss = loss;
    this.selection = selection;
    ParameterLayout all = model.layout();
    for (int k = 0; k < all.tensors().size(); k++) {
      thetaVariables.add((Output<TFloating>) (Output<?>) graph.operationOrThrow(thetaVariable(k)).output(0));
    }
    for (ParameterTensor t : selection.tensors()) {
      int k = all.tensors().indexOf(all.tensor(t.name()));
      parameters.add((Output<TFloating>) (Output<?>) graph.operationOrThrow(ModelDefinition.parameterNode(k)).output(0));
    }
    Operand<TFloating> out = (Operand<TFloating>) graph.outputOrThrow(model.outputTensor());
    if (out.shape().numDimensions() == 1) {
      out = tf.expandDims(out, tf.constant(1));
    }
    this.logits = switch (model.outputKind()) {
      case LOGITS, LOG_PROBABILITIES -> out;
      case PROBABILITIES -> tf.math.log(out);
    };
    long width = out.shape().get(1) > 0 ? out.shape().get(1) : model.outputWidth();
    if (width <= 0) {
      throw new IllegalArgumentException(model.source() + ": output '" + model.outputTensor() + "' has an unknown width; expected [batch, C]");
    }
    this.numClasses = Math.toIntExact(width);
  }

  /** Node name of the variable that holds parameter tensor {@code k} of the model's full layout. */
  public static String thetaVariable(int k) {
    return "hesspec/theta/" + k;
  }

  /**
   * The model's graph to import into a session: placeholder {@code hesspec/param/k} turned into
   * {@code Identity(hesspec/theta/k)} reading a {@code VariableV2} (theta then lives in the
   * session; gradients are taken with respect to the Identity, so several reads of one parameter
   * sum correctly), max-pools keeping their argmax (cheaper derivatives), and, when {@code
   * inputSource} is not null, the input placeholder turned into {@code Identity(inputSource)}.
   */
  public static GraphDef bind(ModelDefinition model, String inputSource) {
    GraphDef g = model.graph();
    String inputNode = model.inputTensor().contains(":") ? model.inputTensor().substring(0, model.inputTensor().lastIndexOf(':'))
        : model.inputTensor();
    if (inputSource != null && model.inputTensor().contains(":") && !model.inputTensor().endsWith(":0")) {
      throw new IllegalArgumentException(model.source() + ": input '" + model.inputTensor() + "' is not output 0 of a placeholder");
    }
    GraphDef.Builder b = GraphDef.newBuilder(g).clearNode();
    boolean inputFound = false;
    for (NodeDef n : g.getNodeList()) {
      if (n.getName().startsWith(ModelDefinition.PARAMETER_PREFIX) && n.getOp().equals("Placeholder")) {
        int k = Integer.parseInt(n.getName().substring(ModelDefinition.PARAMETER_PREFIX.length()));
        AttrValue dtype = n.getAttrOrThrow("dtype");
        b.addNode(NodeDef.newBuilder().setName(thetaVariable(k)).setOp("VariableV2")
            .putAttr("dtype", dtype).putAttr("shape", n.getAttrOrThrow("shape"))
            .putAttr("container", AttrValue.newBuilder().setS(ByteString.EMPTY).build())
            .putAttr("shared_name", AttrValue.newBuilder().setS(ByteString.EMPTY).build()));
        b.addNode(NodeDef.newBuilder().setName(n.getName()).setOp("Identity").addInput(thetaVariable(k)).putAttr("T", dtype));
      } else if (inputSource != null && n.getName().equals(inputNode)) {
        if (!n.getOp().equals("Placeholder")) {
          throw new IllegalArgumentException(model.source() + ": model input '" + inputNode + "' is a " + n.getOp() + ", expected a Placeholder");
        }
        inputFound = true;
        b.addNode(NodeDef.newBuilder().setName(n.getName()).setOp("Identity").addInput(inputSource).putAttr("T", n.getAttrOrThrow("dtype")));
      } else {
        b.addNode(n);
      }
    }
    if (inputSource != null && !inputFound) {
      throw new IllegalArgumentException(model.source() + ": model input node '" + inputNode + "' not found");
    }
    return MaxPoolArgmax.rewrite(b.build());
  }

  public Graph graph() {
    return graph;
  }

  public Ops ops() {
    return tf;
  }

  public Loss loss() {
    return loss;
  }

  /** The variables holding theta, one per tensor of the model's full layout. */
  public List<Output<TFloating>> thetaVariables() {
    return thetaVariables;
  }

  /** P, the outputs of the selected parameter tensors (what the products differentiate by). */
  public List<Output<TFloating>> parameters() {
    return parameters;
  }

  /** z, {@code [batch, C]}. */
  public Operand<TFloating> logits() {
    return logits;
  }

  /** C, the width of the logits. */
  public int numClasses() {
    return numClasses;
  }

  /** The floating type of the model's tensors. */
  @SuppressWarnings("unchecked")
  public Class<TFloating> type() {
    return (Class<TFloating>) model.precision().tensorType();
  }

  /** A placeholder per selected tensor, of its shape (for feeding a p-vector). */
  public List<Placeholder<TFloating>> vectorPlaceholders(Ops on) {
    List<Placeholder<TFloating>> in = new ArrayList<>();
    for (ParameterTensor t : selection.tensors()) {
      in.add(on.placeholder(type(), Placeholder.shape(Shape.of(t.shape()))));
    }
    return in;
  }

  /** A placeholder per tensor of the full layout, of its shape (for feeding theta). */
  public static List<Placeholder<TFloating>> thetaPlaceholders(Ops on, ModelDefinition model) {
    @SuppressWarnings("unchecked")
    Class<TFloating> type = (Class<TFloating>) model.precision().tensorType();
    List<Placeholder<TFloating>> in = new ArrayList<>();
    for (ParameterTensor t : model.layout().tensors()) {
      in.add(on.placeholder(type, Placeholder.shape(Shape.of(t.shape()))));
    }
    return in;
  }

  /**
   * Feeds the p-vector {@code v} of the selected tensors to {@code r}, one tensor per selected
   * parameter tensor into {@code ins}; the tensors go to {@code owned} (closed by the caller).
   */
  public static void feedSelected(ParameterLayout selection, Precision precision, double[] v, List<Placeholder<TFloating>> ins,
      Session.Runner r, List<Tensor> owned) {
    if (v.length != selection.dimension()) {
      throw new IllegalArgumentException("vector of length " + v.length + ", expected p=" + selection.dimension());
    }
    for (int s = 0; s < ins.size(); s++) {
      ParameterTensor t = selection.tensors().get(s);
      Tensor value = TensorValues.of(v, (int) t.offset(), Shape.of(t.shape()), precision);
      owned.add(value);
      r.feed(ins.get(s), value);
    }
  }

  /** Feeds theta (length of the model's full layout) to {@code ins}, one placeholder per tensor. */
  public static void feedTheta(ModelDefinition model, double[] theta, List<Placeholder<TFloating>> ins, Session.Runner r,
      List<Tensor> owned) {
    if (theta.length != model.layout().dimension()) {
      throw new IllegalArgumentException("theta of length " + theta.length + ", expected " + model.layout().dimension());
    }
    feedSelected(model.layout(), model.precision(), theta, ins, r, owned);
  }

  /**
   * Throws when {@code out}, a product over the selected parameters, is not finite: the message
   * names the model, {@code what} was computed, the parameter tensor and element of the first bad
   * value, and {@code cause} (why it can have happened).
   */
  public static void checkFinite(ModelDefinition model, ParameterLayout selection, double[] out, String what,
      java.util.function.Supplier<String> cause) {
    for (int i = 0; i < out.length; i++) {
      if (!Double.isFinite(out[i])) {
        ParameterTensor t = tensorAt(selection, i);
        throw new ArithmeticException(model.source() + ": " + what + " is " + out[i] + " at index " + i
            + " (parameter tensor '" + t.name() + "', element " + (i - t.offset()) + "); " + cause.get());
      }
    }
  }

  /** The first non-finite value of theta, named by its parameter tensor and element, if any. */
  public static Optional<String> nonFiniteParameter(ModelDefinition model, double[] theta) {
    for (int i = 0; i < theta.length; i++) {
      if (!Double.isFinite(theta[i])) {
        ParameterTensor t = tensorAt(model.layout(), i);
        return Optional.of("the model's parameters are not finite (parameter tensor '" + t.name() + "', element "
            + (i - t.offset()) + " = " + theta[i] + ")");
      }
    }
    return Optional.empty();
  }

  /**
   * Checks that the labels and example shape of {@code data} fit the model (names the tensor
   * otherwise): class labels in [0, C) for cross-entropy, examples of the input's shape {@code
   * expected} (first dimension the batch), regression targets as wide as the output for MSE.
   *
   * @throws IllegalArgumentException when they do not
   */
  public static void checkData(ModelDefinition model, Loss loss, int numClasses, Shape expected, BatchedData data) {
    int[] y = data.labels();
    if (loss == Loss.CROSS_ENTROPY) {
      if (y == null) {
        throw new IllegalArgumentException(model.source() + ": cross-entropy needs class labels, the data has none");
      }
      for (int label : y) {
        if (label < 0 || label >= numClasses) {
          throw new IllegalArgumentException(model.source() + ": label " + label + " does not fit output '" + model.outputTensor()
              + "' of width C=" + numClasses);
        }
      }
    }
    for (BatchedData.Batch b : data.batches()) {
      Shape got = b.x().shape();
      boolean ok = got.numDimensions() == expected.numDimensions() || expected.isUnknown();
      for (int d = 1; ok && d < expected.numDimensions(); d++) {
        ok = expected.get(d) < 0 || expected.get(d) == got.get(d);
      }
      if (!ok) {
        throw new IllegalArgumentException(model.source() + ": input '" + model.inputTensor() + "' expects examples of shape " + expected
            + ", the data has " + got);
      }
      if (loss == Loss.MSE && b.targets().shape().get(1) != numClasses) {
        throw new IllegalArgumentException(model.source() + ": output '" + model.outputTensor() + "' has width " + numClasses
            + ", the regression targets have width " + b.targets().shape().get(1));
      }
    }
  }

  /** The shape {@code [-1, exampleShape...]} of the model's input (a batch of examples). */
  public static Shape inputShape(ModelDefinition model) {
    long[] ex = model.exampleShape();
    long[] s = new long[ex.length + 1];
    s[0] = -1;
    System.arraycopy(ex, 0, s, 1, ex.length);
    return Shape.of(s);
  }

  /** The tensor of {@code layout} holding flat index {@code i}. */
  private static ParameterTensor tensorAt(ParameterLayout layout, long i) {
    ParameterTensor t = layout.tensors().get(0);
    for (ParameterTensor x : layout.tensors()) {
      if (x.offset() <= i) {
        t = x;
      }
    }
    return t;
  }
}
