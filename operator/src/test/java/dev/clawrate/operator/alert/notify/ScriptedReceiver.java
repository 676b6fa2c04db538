package dev.clawrate.operator.alert.notify;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A receiver for MockWebServer: answers with scripted responses, then a default one; records each
 * request's body and arrival time; and, while its gate is closed, holds every request unanswered.
 */
final class ScriptedReceiver extends Dispatcher {

  final List<String> bodies = new CopyOnWriteArrayList<>();
  final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  final List<Long> arrivalNanos = new CopyOnWriteArrayList<>();
  private final Queue<MockResponse> script = new ConcurrentLinkedQueue<>();
  private volatile MockResponse otherwise = new MockResponse().setResponseCode(200).setBody("ok");
  private volatile CountDownLatch gate = new CountDownLatch(0);

  ScriptedReceiver then(MockResponse response) {
    script.add(response);
    return this;
  }

  ScriptedReceiver otherwise(MockResponse response) {
    otherwise = response;
    return this;
  }

  void close() {
    gate = new CountDownLatch(1);
  }

  void open() {
    gate.countDown();
  }

  int count() {
    return bodies.size();
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
    arrivalNanos.add(System.nanoTime());
    requests.add(request);
    bodies.add(request.getBody().readUtf8());
    gate.await();
    MockResponse next = script.poll();
    return next != null ? next : otherwise;
  }
}
