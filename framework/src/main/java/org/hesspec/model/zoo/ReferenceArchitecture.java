package org.hesspec.model.zoo;

import java.util.List;
import java.util.Locale;

/**
 * The reference networks an experiment can train ({@code model.train.architecture}), each knowing its
 * name in experiment files and how it builds its {@link Architecture} from the experiment's choices.
 * {@code vgg11_bn} is Papyan's VGG11 with batch norm ("Measurements of three-level hierarchical structure
 * in the outliers in the spectrum of deepnet Hessians", 2019).
 */
public enum ReferenceArchitecture {
  /** Fully connected layers of widths {@code hidden}, with the activation. */
  MLP {
    @Override
    public Architecture build(List<Integer> inputShape, int classes, Options o) {
      return new Mlp(inputShape, o.hidden(), o.activation(), classes);
    }
  },
  /** LeNet-5 with 6 and 16 channels, with the activation. */
  LENET {
    @Override
    public Architecture build(List<Integer> inputShape, int classes, Options o) {
      return new LeNet(inputShape, 6, 16, o.activation(), classes);
    }
  },
  /** VGG11, every width scaled by the width multiplier. */
  VGG11 {
    @Override
    public Architecture build(List<Integer> inputShape, int classes, Options o) {
      return new Vgg11(inputShape, o.widthMultiplier(), classes);
    }
  },
  /** VGG11 with batch norm after every convolution, every width scaled by the width multiplier. */
  VGG11_BN {
    @Override
    public Architecture build(List<Integer> inputShape, int classes, Options o) {
      return new Vgg11(inputShape, o.widthMultiplier(), classes, true);
    }
  },
  /** ResNet18 with base width {@code max(1, round(64 x width multiplier))}. */
  RESNET18 {
    @Override
    public Architecture build(List<Integer> inputShape, int classes, Options o) {
      return new ResNet18(inputShape, (int) Math.max(1, Math.round(64 * o.widthMultiplier())), classes);
    }
  };

  /**
   * The choices an experiment makes for a reference network; each architecture reads those that apply to it.
   *
   * @param hidden hidden-layer widths (mlp)
   * @param activation hidden nonlinearity (mlp, lenet)
   * @param widthMultiplier scale of every width (vgg11, vgg11_bn, resnet18)
   */
  public record Options(List<Integer> hidden, Activation activation, double widthMultiplier) {
    public Options {
      hidden = List.copyOf(hidden);
      java.util.Objects.requireNonNull(activation, "activation");
    }
  }

  /** The network for examples of shape {@code inputShape} and {@code classes} classes. */
  public abstract Architecture build(List<Integer> inputShape, int classes, Options options);

  /** The name in experiment files ({@code mlp}, {@code lenet}, {@code vgg11}, {@code vgg11_bn}, {@code resnet18}). */
  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
