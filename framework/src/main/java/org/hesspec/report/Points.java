package org.hesspec.report;

import java.util.Objects;

/**
 * A set of labelled 2-D points for an embedding plot, e.g. the C class means or the C^2
 * cross-class means after a 2-D embedding (MDS, t-SNE) that the caller computed. Each point has a
 * group (its class, which picks the colour) and an optional text label drawn next to it.
 *
 * @param label legend text for the set, e.g. {@code class means}
 * @param x first embedding coordinate
 * @param y second embedding coordinate
 * @param group the class of each point, 0-based
 * @param names the text next to each point, e.g. {@code 3} or {@code 3→5}; null for none
 */
public record Points(String label, double[] x, double[] y, int[] group, String[] names) {

  public Points {
    Objects.requireNonNull(label, "label");
    if (x.length != y.length || x.length != group.length) {
      throw new IllegalArgumentException("points '" + label + "': x, y and group lengths differ");
    }
    if (names != null && names.length != x.length) {
      throw new IllegalArgumentException("points '" + label + "': names length differs");
    }
    for (int g : group) {
      if (g < 0) {
        throw new IllegalArgumentException("points '" + label + "': negative group " + g);
      }
    }
    x = x.clone();
    y = y.clone();
    group = group.clone();
    names = names == null ? null : names.clone();
  }

  @Override
  public double[] x() {
    return x.clone();
  }

  @Override
  public double[] y() {
    return y.clone();
  }

  @Override
  public int[] group() {
    return group.clone();
  }

  @Override
  public String[] names() {
    return names == null ? null : names.clone();
  }

  int size() {
    return x.length;
  }
}
