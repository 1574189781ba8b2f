package dev.bridle.benchmarks.load;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Samples this JVM's heap on a platform daemon thread: the largest heap in use and committed seen,
 * plus the GC count and time and the peak resident set when asked.
 */
final class HeapSampler implements AutoCloseable {

  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile long maxUsed;
  private volatile long maxCommitted;
  private volatile long samples;

  HeapSampler(Duration every) {
    thread =
        Thread.ofPlatform()
            .daemon()
            .name("heap-sampler")
            .start(
                () -> {
                  while (running) {
                    sample();
                    try {
                      Thread.sleep(every);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                });
  }

  private void sample() {
    var heap = memory.getHeapMemoryUsage();
    maxUsed = Math.max(maxUsed, heap.getUsed());
    maxCommitted = Math.max(maxCommitted, heap.getCommitted());
    samples++;
  }

  long maxUsedBytes() {
    return maxUsed;
  }

  long maxCommittedBytes() {
    return maxCommitted;
  }

  long samples() {
    return samples;
  }

  /** The heap in use right after a requested full collection: what the run left live. */
  long usedAfterGc() {
    System.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }

  static long maxHeapBytes() {
    return Runtime.getRuntime().maxMemory();
  }

  /** Collections and milliseconds spent in them, summed over the collectors. */
  static long[] gcCountAndMillis() {
    long count = 0;
    long millis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      count += Math.max(0, gc.getCollectionCount());
      millis += Math.max(0, gc.getCollectionTime());
    }
    return new long[] {count, millis};
  }

  /** {@code VmHWM} from {@code /proc/self/status} in KiB, -1 where there is none. */
  static long peakRssKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  /** {@code /proc/loadavg}'s first three fields, or "n/a". */
  static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }

  /** CPU time of the whole process in nanoseconds, -1 when the JVM does not say. */
  static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    sample();
  }
}
