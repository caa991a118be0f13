package org.hesspec.experiments.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SuggestTest {

  private static final List<String> DENSITY = List.of("iterations", "runs", "grid", "kernel_width", "scales");

  @Test
  void findsTyposTranspositionsAndCase() {
    assertEquals(Optional.of("iterations"), Suggest.nearest("iteratons", DENSITY));
    assertEquals(Optional.of("iterations"), Suggest.nearest("iteartions", DENSITY));
    assertEquals(Optional.of("kernel_width"), Suggest.nearest("kernelwidth", DENSITY));
    assertEquals(Optional.of("G"), Suggest.nearest("g", List.of("hessian", "G", "H")));
  }

  @Test
  void staysQuietForUnrelatedWords() {
    assertEquals(Optional.empty(), Suggest.nearest("temperature", DENSITY));
    assertEquals("", Suggest.didYouMean("zzz", DENSITY));
  }

  @Test
  void distanceCountsTranspositionAsOneEdit() {
    assertEquals(1, Suggest.distance("ab", "ba"));
    assertEquals(3, Suggest.distance("kitten", "sitting"));
    assertEquals(0, Suggest.distance("", ""));
  }
}
