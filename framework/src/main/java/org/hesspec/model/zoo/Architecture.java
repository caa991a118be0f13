package org.hesspec.model.zoo;

import java.util.List;
import java.util.Map;

/**
 * The specification of a reference network: what to build, not how. Specs are immutable values
 * (records) so that they can be compared, logged and written into a model's metadata; {@link
 * NetworkBuilder} turns one into a TensorFlow graph.
 *
 * <p>Every network takes a float32 input {@code x} of shape {@code [batch, ...inputShape]} (images
 * in NHWC layout) and produces float32 logits {@code [batch, numClasses]}.
 */
public sealed interface Architecture permits Mlp, LeNet, Vgg11, ResNet18 {

  /** Short lower-case identifier of the family: {@code mlp}, {@code lenet}, {@code vgg11}, {@code resnet18}. */
  String kind();

  /** Shape of one example, e.g. {@code [100]} or {@code [32, 32, 3]}. */
  List<Integer> inputShape();

  /** Number of classes C (width of the logits). */
  int numClasses();

  /**
   * The spec as an ordered map of plain values (strings, numbers, lists), {@code kind} first; what
   * the model metadata file records.
   */
  Map<String, Object> describe();

  /** Checks that a data set's example shape fits this network's input. */
  default void requireInput(int[] exampleShape) {
    List<Integer> got = java.util.Arrays.stream(exampleShape).boxed().toList();
    if (!got.equals(inputShape())) {
      throw new IllegalArgumentException(
          kind() + " expects examples of shape " + inputShape() + " but the data has " + got);
    }
  }
}
