package org.hesspec.model.zoo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fully connected network: the input is flattened, then {@code hidden.size()} dense layers with
 * the activation, then a dense layer to the C logits. Parameters {@code dense_0/kernel},
 * {@code dense_0/bias}, ..., {@code dense_<hidden.size()>/...} (the last one gives the logits).
 *
 * @param inputShape shape of one example; flattened, so images work too
 * @param hidden widths of the hidden layers (may be empty: multinomial logistic regression)
 * @param activation nonlinearity after each hidden layer
 * @param numClasses C
 */
public record Mlp(List<Integer> inputShape, List<Integer> hidden, Activation activation, int numClasses)
    implements Architecture {

  public Mlp {
    inputShape = Specs.positiveList("mlp input shape", inputShape);
    if (inputShape.isEmpty()) {
      throw new IllegalArgumentException("mlp input shape is empty");
    }
    hidden = Specs.positiveList("mlp hidden widths", hidden);
    if (activation == null) {
      throw new IllegalArgumentException("mlp activation is missing");
    }
    Specs.classes(numClasses);
  }

  /** An MLP on vectors of {@code inputDim} values. */
  public static Mlp of(int inputDim, List<Integer> hidden, Activation activation, int numClasses) {
    return new Mlp(List.of(inputDim), hidden, activation, numClasses);
  }

  @Override
  public String kind() {
    return "mlp";
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", kind());
    m.put("input_shape", inputShape);
    m.put("hidden", hidden);
    m.put("activation", activation.key());
    m.put("classes", numClasses);
    return m;
  }
}
