package dev.clawrate.rater.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.contract.metrics.Outcome;
import dev.clawrate.rater.rating.RatingException;
import dev.clawrate.rater.testing.RaterClient;
import io.undertow.io.Receiver;
import io.undertow.server.RequestTooBigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RequestBodiesTest {

  @Test
  void aBodyOverTheCapIsTooLargeHoweverUndertowWrapsIt() {
    for (IOException error :
        new IOException[] {
          new Receiver.RequestToLargeException(),
          new IOException(new Receiver.RequestToLargeException()),
          new RequestTooBigException(),
          new IOException(new RequestTooBigException())
        }) {
      RatingException e = RequestBodies.readFailure(error, 100);
      assertEquals(Outcome.PAYLOAD_TOO_LARGE, e.outcome(), error.toString());
    }
    assertEquals(
        Outcome.BAD_REQUEST, RequestBodies.readFailure(new IOException("reset"), 100).outcome());
  }

  @Test
  void invalidUtf8IsRefusedPlainOrGzipped() {
    byte[] surrogate = {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'};
    for (boolean gzip : new boolean[] {false, true}) {
      byte[] raw = gzip ? RaterClient.gzip(surrogate) : surrogate;
      RatingException e =
          assertThrows(RatingException.class, () -> RequestBodies.decode(raw, gzip, 100));
      assertEquals(Outcome.BAD_REQUEST, e.outcome());
      assertTrue(e.getMessage().contains("not valid UTF-8 (at byte 1)"), e.getMessage());
    }
  }

  @Test
  void validUtf8PassesUnchanged() throws RatingException {
    byte[] body = "{\"name\":\"Zoë\"}".getBytes(StandardCharsets.UTF_8);
    RequestBodies.Body decoded = RequestBodies.decode(RaterClient.gzip(body), true, 100);
    assertArrayEquals(body, Arrays.copyOf(decoded.bytes(), decoded.length()));
  }
}
