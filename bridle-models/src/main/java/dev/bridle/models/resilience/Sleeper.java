package dev.bridle.models.resilience;

import java.time.Duration;

/**
 * Waits between retries. {@link #system()} sleeps the calling thread (a virtual thread sleeps
 * without holding a carrier); tests pass one that records the wait and advances a test clock.
 */
@FunctionalInterface
public interface Sleeper {

  void sleep(Duration duration) throws InterruptedException;

  /** {@link Thread#sleep(Duration)}. */
  static Sleeper system() {
    return Thread::sleep;
  }
}
