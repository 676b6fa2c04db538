package dev.clawrate.contract.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterLayoutTest {

  @Test
  void aLargeSnapshotIsStoredGzippedAndLoadsBack() throws Exception {
    byte[] json =
        ("{\"pad\":\"" + "x".repeat(ClusterLayout.PLAIN_SNAPSHOT_MAX_BYTES) + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    ClusterLayout.StoredSnapshot stored = ClusterLayout.store(json);
    assertEquals(Map.of(), stored.data());
    assertArrayEquals(json, ClusterLayout.load(stored.data(), stored.binaryData()));
  }

  @Test
  void brokenBase64IsNamedWithoutTheCharacterThatBrokeIt() {
    var e =
        assertThrows(
            IOException.class,
            () ->
                ClusterLayout.load(
                    Map.of(), Map.of(ClusterLayout.SNAPSHOT_GZIP_KEY, "H4sI-secret!")));
    assertEquals("binaryData snapshot.json.gz is not valid base64", e.getMessage());
  }
}
