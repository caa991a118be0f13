package org.hesspec.experiments.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.hesspec.data.DataException;
import org.hesspec.distributed.WorkerUnavailableException;
import org.hesspec.experiments.run.RunFailedException.Kind;
import org.junit.jupiter.api.Test;

/** Which failures during a run are offered a {@code --resume}: only those a resume can get past. */
class RunFailedExceptionTest {

  @Test
  void memoryDiskAndWorkersAreResumable() {
    assertEquals(Kind.RESUMABLE, RunFailedException.classify(new OutOfMemoryError("Java heap space")));
    assertEquals(Kind.RESUMABLE, RunFailedException.classify(new UncheckedIOException(new IOException("No space left on device"))));
    assertEquals(Kind.RESUMABLE, RunFailedException.classify(new IllegalStateException("wrapped", new IOException("disk"))));
    assertEquals(Kind.RESUMABLE, RunFailedException.classify(new RuntimeException(new WorkerUnavailableException("w:7000 is down"))));
  }

  @Test
  void nonFiniteProductsRepeatInputErrorsAreInputAndTheRestIsUnexpected() {
    assertEquals(Kind.REPEATS, RunFailedException.classify(new ArithmeticException("the HESSIAN product is NaN")));
    assertEquals(Kind.INPUT, RunFailedException.classify(new RunInputException("bad")));
    assertEquals(Kind.INPUT, RunFailedException.classify(new DataException("bad file")));
    assertEquals(Kind.UNEXPECTED, RunFailedException.classify(new IllegalStateException("a bug")));
    assertEquals(Kind.UNEXPECTED, RunFailedException.classify(new NullPointerException()));
  }
}
