package org.hesspec.report;

import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * The words of one figure: its file name (without extension), its title, and its caption with the
 * parameters that produced it (M, K, kernel width, n, seed, ...). Without those parameters a
 * spectral estimate cannot be compared with anything, so the caption is drawn inside the image (in
 * the default style), repeated in the HTML report and written to {@code NAME.txt} beside the figure
 * (the only place besides the report in the paper style, whose images carry no caption).
 *
 * @param name file base name, e.g. {@code density_train_hessian_log}; letters, digits, {@code _},
 *     {@code -}, {@code .} and {@code +} only
 * @param title the title drawn above the plot
 * @param caption the text drawn below it (may be empty)
 */
public record FigureText(String name, String title, String caption) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.+-]*");

  public FigureText {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(caption, "caption");
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a usable figure file name: '" + name + "'");
    }
  }

  /**
   * A caption from the parameters, in their order: {@code "M = 128, K = 10, σ = 0.01"}. Doubles are
   * shown with four significant digits.
   */
  public static FigureText of(String name, String title, Map<String, ?> parameters) {
    StringJoiner caption = new StringJoiner(", ");
    parameters.forEach((k, v) -> caption.add(k + " = " + formatValue(v)));
    return new FigureText(name, title, caption.toString());
  }

  /**
   * A file name from what the figure shows, e.g. {@code fileName("density", "train", "hessian",
   * "linear")} gives {@code density_train_hessian_linear}. Empty parts are skipped; characters a
   * file name should not have become {@code -}.
   */
  public static String fileName(String... parts) {
    StringJoiner name = new StringJoiner("_");
    for (String part : parts) {
      if (part != null && !part.isBlank()) {
        name.add(part.strip().replaceAll("[^A-Za-z0-9.+-]", "-"));
      }
    }
    return name.toString();
  }

  /** This text with {@code note} appended to the caption. */
  FigureText withNote(String note) {
    return new FigureText(name, title, caption.isEmpty() ? note : caption + "; " + note);
  }

  /** A parameter value as captions show it: doubles to four significant digits, {@code n/a} when not finite. */
  public static String formatValue(Object v) {
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (!Double.isFinite(d)) {
        return "n/a";
      }
      if (d == Math.rint(d) && Math.abs(d) < 1e6) {
        return Long.toString((long) d);
      }
      // Four significant digits without trailing zeros: 0.0123, 1234, 1.235e-5, 2e7.
      double magnitude = Math.abs(d);
      if (magnitude >= 1e-3 && magnitude < 1e6) {
        return new java.math.BigDecimal(d)
            .round(new java.math.MathContext(4))
            .stripTrailingZeros()
            .toPlainString();
      }
      String[] parts = String.format(java.util.Locale.ROOT, "%.3e", d).split("e");
      String mantissa = parts[0].replaceAll("\\.?0+$", "");
      return mantissa + "e" + Integer.parseInt(parts[1]);
    }
    return String.valueOf(v);
  }
}
