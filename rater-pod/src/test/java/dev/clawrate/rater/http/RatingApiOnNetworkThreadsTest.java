package dev.clawrate.rater.http;

/** The rating API's tests again, with every rating run on the network thread that read it. */
class RatingApiOnNetworkThreadsTest extends RatingApiTest {

  @Override
  String networkThreads() {
    return "always";
  }
}
