package dev.clawrate.rater.http;

/** The fallback tests again, with every rating, a fallback's too, run on a network thread. */
class FallbackApiOnNetworkThreadsTest extends FallbackApiTest {

  @Override
  String networkThreads() {
    return "always";
  }
}
