package dev.clawrate.rater.audit;

import dev.clawrate.rater.rating.Answer;
import dev.clawrate.rater.rating.TenantRoute;
import dev.clawrate.rater.snapshot.LoadedSnapshot;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decision log: answers of the rating API, sampled, appended to a JSON-lines file by one thread
 * of its own. The request path only builds a record and offers it to a bounded queue; when the
 * queue is full the record is dropped and counted, so a slow disk never slows an answer.
 */
public final class AuditLog implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
  private static final int BATCH = 256;

  private final AuditSettings settings;
  private final AuditRecorder recorder;
  private final String track;
  private final BlockingQueue<AuditRecord> queue;
  private final Writer out;
  private final Thread writer;

  // Package-private for tests: a log whose writer is never started fills its queue.
  AuditLog(AuditSettings settings, AuditRecorder recorder, String track, Writer out) {
    this.settings = settings;
    this.recorder = recorder;
    this.track = track;
    this.queue = out == null ? null : new ArrayBlockingQueue<>(settings.queue());
    this.out = out;
    this.writer = out == null ? null : new Thread(this::drain, "clawrate-audit");
  }

  /** A decision log that records nothing. */
  public static AuditLog off() {
    return new AuditLog(AuditSettings.OFF, null, null, null);
  }

  /**
   * Opens the file for appending and starts the writer; a log the settings leave off opens nothing.
   *
   * @throws IOException when the file cannot be opened for appending
   */
  public static AuditLog open(AuditSettings settings, AuditRecorder recorder, String track)
      throws IOException {
    if (!settings.enabled()) {
      return off();
    }
    // A FileOutputStream, not a channel: an interrupt to stop the writer must not close the file
    // under a write.
    Writer out =
        new OutputStreamWriter(
            new FileOutputStream(settings.file().toFile(), true), StandardCharsets.UTF_8);
    AuditLog log = new AuditLog(settings, recorder, track, out);
    log.writer.setDaemon(true);
    log.writer.start();
    return log;
  }

  /** A 200 answer, with the request body it rated. */
  public void answered(
      String requestId,
      LoadedSnapshot snapshot,
      Answer answer,
      byte[] body,
      int length,
      long nanos) {
    if (sampled()) {
      byte[] input =
          settings.inputTenants().contains(answer.route().tenant())
              ? Arrays.copyOf(body, length)
              : null;
      offer(
          AuditRecord.answered(
              System.currentTimeMillis(),
              requestId,
              track,
              snapshot.revision(),
              answer,
              nanos,
              input));
    }
  }

  /**
   * An error answer.
   *
   * @param snapshot the snapshot it was answered on, or null when none was loaded
   * @param route the tenant's route, or null when no tenant was found
   */
  public void failed(
      String requestId,
      LoadedSnapshot snapshot,
      TenantRoute route,
      int status,
      String code,
      long nanos) {
    if (sampled()) {
      offer(
          AuditRecord.failed(
              System.currentTimeMillis(),
              requestId,
              track,
              snapshot == null ? null : snapshot.revision(),
              route,
              status,
              code,
              nanos));
    }
  }

  private boolean sampled() {
    if (out == null) {
      return false;
    }
    double rate = settings.sampleRate();
    return rate >= 1 || ThreadLocalRandom.current().nextDouble() < rate;
  }

  private void offer(AuditRecord record) {
    if (!queue.offer(record)) {
      recorder.dropped();
    }
  }

  private void drain() {
    List<AuditRecord> batch = new ArrayList<>(BATCH);
    try {
      while (true) {
        batch.add(queue.take());
        queue.drainTo(batch, BATCH - 1);
        write(batch);
      }
    } catch (InterruptedException e) {
      queue.drainTo(batch);
      write(batch);
    }
  }

  /** Writes a batch and flushes once the queue is empty, so a burst costs one flush. */
  private void write(List<AuditRecord> batch) {
    int written = 0;
    try {
      for (AuditRecord record : batch) {
        out.write(AuditJson.line(record));
        out.write('\n');
        written++;
        recorder.written();
      }
      if (queue.isEmpty()) {
        out.flush();
      }
    } catch (IOException | RuntimeException e) {
      for (int i = written; i < batch.size(); i++) {
        recorder.failed();
      }
      LOG.atWarn()
          .addKeyValue("file", settings.file().toString())
          .addKeyValue("records", batch.size() - written)
          .addKeyValue("error", e.getClass().getSimpleName())
          .log("decision log records not written");
    }
    batch.clear();
  }

  /** Writes what is queued, then closes the file. */
  @Override
  public void close() {
    if (writer == null) {
      return;
    }
    writer.interrupt();
    try {
      writer.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      out.close();
    } catch (IOException e) {
      LOG.atWarn()
          .addKeyValue("file", settings.file().toString())
          .log("decision log not closed cleanly");
    }
  }
}
