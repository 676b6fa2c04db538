package dev.clawrate.rater;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class StartupWarmupTest {

  @Test
  void loggingIsLogbackOnceAwaited() throws InterruptedException {
    StartupWarmup warmup = StartupWarmup.begin();
    warmup.awaitLogging();
    // A stand-in factory here would hand RaterMain's loggers out as substitutes.
    assertInstanceOf(LoggerContext.class, LoggerFactory.getILoggerFactory());
    assertInstanceOf(
        ch.qos.logback.classic.Logger.class, LoggerFactory.getLogger(StartupWarmupTest.class));
    for (Thread thread : warmup.threads()) {
      thread.join();
    }
  }

  @Test
  void threadsAreDaemonsAndEnd() throws InterruptedException {
    List<Thread> threads = StartupWarmup.begin().threads();
    // A non-daemon warm-up thread would keep a rater that failed to start from exiting.
    threads.forEach(thread -> assertTrue(thread.isDaemon(), thread.getName()));
    for (Thread thread : threads) {
      thread.join();
      assertFalse(thread.isAlive(), thread.getName());
    }
  }
}
