package dev.clawrate.rater.testing;

import dev.clawrate.contract.testing.Await;
import dev.clawrate.rater.testing.RaterClient.Answer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Clients rating one tenant in a loop until stopped, recording every answer that is not a 200 and
 * every 200 whose model output does not belong to the digest it names: the load under which reloads
 * must fail no request.
 */
public final class ClientLoad implements AutoCloseable {

  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong answered = new AtomicLong();
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private final Set<String> digestsSeen = ConcurrentHashMap.newKeySet();
  private final ExecutorService pool;
  private final List<Future<?>> clients = new ArrayList<>();

  /**
   * @param versionByDigest the {@code result.version} each digest's model answers with; empty to
   *     check the status only
   */
  public ClientLoad(
      int count,
      RaterClient client,
      String tenant,
      String body,
      Map<String, String> versionByDigest) {
    pool = Executors.newFixedThreadPool(count);
    for (int c = 0; c < count; c++) {
      clients.add(
          pool.submit(
              () -> {
                while (running.get()) {
                  check(client.rate(tenant, body), versionByDigest);
                }
              }));
    }
  }

  private void check(Answer answer, Map<String, String> versionByDigest) {
    answered.incrementAndGet();
    if (answer.status() != 200) {
      failures.add(answer.status() + " " + answer.body());
      return;
    }
    String digest = answer.json().get("digest").asText();
    digestsSeen.add(digest);
    if (!versionByDigest.isEmpty()) {
      String version = answer.json().at("/result/version").asText();
      if (!version.equals(versionByDigest.get(digest))) {
        failures.add("digest " + digest + " answered with version " + version);
      }
    }
  }

  /** Waits until every client has had time for at least one more answer. */
  public void awaitAnswers(long more) {
    long target = answered.get() + more;
    Await.until(more + " more answers", () -> answered.get() >= target);
  }

  public long answered() {
    return answered.get();
  }

  public List<String> failures() {
    return List.copyOf(failures);
  }

  public Set<String> digestsSeen() {
    return Set.copyOf(digestsSeen);
  }

  /** Stops the clients and waits for them; a client that threw fails the caller. */
  @Override
  public void close() throws ExecutionException, InterruptedException {
    running.set(false);
    pool.shutdown();
    for (Future<?> client : clients) {
      client.get();
    }
  }
}
