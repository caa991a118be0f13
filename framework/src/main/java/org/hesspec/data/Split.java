package org.hesspec.data;

import java.util.Locale;

/** Which part of a data set: the training split or the held-out test split. */
public enum Split {
  TRAIN,
  TEST;

  /** The lower-case name used in experiment files and result tables ({@code train}, {@code test}). */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The name in experiment files ({@code splits: [train, test]}): the same as {@link #key()}. */
  public String yamlName() {
    return key();
  }

  /** Parses {@code train} or {@code test} (case-insensitive). */
  public static Split fromKey(String key) {
    for (Split s : values()) {
      if (s.key().equalsIgnoreCase(key)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown split '" + key + "' (expected train or test)");
  }
}
