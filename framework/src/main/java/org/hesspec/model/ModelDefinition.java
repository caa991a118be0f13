package org.hesspec.model;

import java.util.Arrays;
import java.util.Objects;
import org.tensorflow.proto.GraphDef;

/**
 * A model as a pure function {@code z = f(x; theta)}: a TensorFlow graph in which every
 * trainable tensor is a placeholder, plus the parameter values at which to evaluate it.
 *
 * <p>The graph holds exactly the ops the output depends on. Parameter tensor {@code k} of
 * {@link #layout()} is the placeholder node {@link #parameterNode(int) hesspec/param/k}; frozen
 * (non-trainable) variables have become constants. Consumers either feed the placeholders or
 * rebind them to variables that live in the session (see {@code org.hesspec.curvature}).
 *
 * @param source where the model came from (a SavedModel folder), for messages
 * @param graph the function graph
 * @param inputTensor the input tensor, e.g. {@code x:0}; shape {@code [batch, ...exampleShape]}
 * @param outputTensor the output tensor, {@code [batch, C]} (or {@code [batch]}/{@code [batch,1]} for regression)
 * @param outputKind how to read the output
 * @param precision the dtype of the graph's floating tensors
 * @param layout the trainable tensors and their order in theta
 * @param theta the parameter values (length p), in {@link #layout()} order
 * @param exampleShape the shape of one input example (batch dimension removed), -1 where unknown
 * @param outputWidth C, the width of the output (1 for a scalar regression output), -1 if unknown
 */
public record ModelDefinition(
    String source,
    GraphDef graph,
    String inputTensor,
    String outputTensor,
    OutputKind outputKind,
    Precision precision,
    ParameterLayout layout,
    double[] theta,
    long[] exampleShape,
    long outputWidth) {

  /** Node name prefix of the parameter placeholders. */
  public static final String PARAMETER_PREFIX = "hesspec/param/";

  public ModelDefinition {
    Objects.requireNonNull(graph);
    if (theta.length != layout.dimension()) {
      throw new IllegalArgumentException(source + ": " + theta.length + " parameter values for a layout of " + layout.dimension());
    }
  }

  /** The placeholder node that carries parameter tensor {@code k}. */
  public static String parameterNode(int k) {
    return PARAMETER_PREFIX + k;
  }

  /** p, the number of trainable parameters. */
  public int dimension() {
    long p = layout.dimension();
    if (p > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException(source + ": " + p + " parameters exceed a Java array");
    }
    return (int) p;
  }

  /** A copy with other parameter values. */
  public ModelDefinition withTheta(double[] newTheta) {
    return new ModelDefinition(source, graph, inputTensor, outputTensor, outputKind, precision, layout, newTheta.clone(), exampleShape, outputWidth);
  }

  /** A copy with another graph and precision (same parameters), e.g. after a float64 conversion. */
  public ModelDefinition withGraph(GraphDef newGraph, Precision newPrecision) {
    return new ModelDefinition(source, newGraph, inputTensor, outputTensor, outputKind, newPrecision, layout, theta, exampleShape, outputWidth);
  }

  @Override
  public String toString() {
    return "ModelDefinition[" + source + ", p=" + layout.dimension() + ", input=" + inputTensor + Arrays.toString(exampleShape)
        + ", output=" + outputTensor + ", " + outputKind + ", " + precision + "]";
  }
}
