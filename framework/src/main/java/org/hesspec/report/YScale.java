package org.hesspec.report;

/** Whether a value axis is linear or logarithmic (base 10). */
public enum YScale {
  LINEAR,
  LOG
}
