package org.hesspec.report;

/** The {@code status} field of {@code run.json}. */
public enum RunStatus {
  /** Running, or stopped by a crash before it finished. */
  INCOMPLETE("incomplete"),
  /** Stopped by an error the runner caught; {@code run.json} says which. Can be resumed. */
  FAILED("failed"),
  /** Every stage finished and the folder was moved into place. */
  COMPLETE("complete");

  private final String json;

  RunStatus(String json) {
    this.json = json;
  }

  /** The spelling in {@code run.json}. */
  public String json() {
    return json;
  }

  /** Reads the {@code run.json} spelling. */
  public static RunStatus fromJson(String text) {
    for (RunStatus s : values()) {
      if (s.json.equals(text)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown run status '" + text + "'");
  }
}
