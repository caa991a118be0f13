package org.hesspec.report;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * The name of one run's folder: the UTC start time to the second, a dash and a short suffix,
 * e.g. {@code 20250301T142233Z-3f9a1c}. Ids sort in time order as plain strings; the suffix keeps
 * two runs started in the same second apart.
 *
 * @param value the id text
 */
public record RunId(String value) {

  private static final Pattern FORMAT = Pattern.compile("\\d{8}T\\d{6}Z-[0-9a-z]{1,16}");
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  public RunId {
    Objects.requireNonNull(value, "value");
    if (!FORMAT.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "not a run id (expected like 20250301T142233Z-3f9a1c): '" + value + "'");
    }
  }

  /** An id for a run started at {@code now} with a random six-hex-digit suffix. */
  public static RunId generate(Instant now, RandomGenerator random) {
    return new RunId(STAMP.format(now) + "-" + String.format("%06x", random.nextInt(1 << 24)));
  }

  /**
   * An id whose suffix is the experiment seed ({@code s} and the seed in base 36), for callers that
   * want the seed visible in the folder name.
   */
  public static RunId forSeed(Instant now, long seed) {
    return new RunId(STAMP.format(now) + "-s" + Long.toUnsignedString(seed, 36));
  }

  /** Whether {@code text} is a well-formed run id. */
  public static boolean isValid(String text) {
    return text != null && FORMAT.matcher(text).matches();
  }

  @Override
  public String toString() {
    return value;
  }
}
