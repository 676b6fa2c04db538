package dev.clawrate.rater.rating;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.contract.metrics.Outcome;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModelOutputTest {

  private static ModelOutput read(String json) throws RatingException {
    return ModelOutput.read(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsTheRatingAsWrittenAndIgnoresNestedOnes() throws Exception {
    ModelOutput output = read("{\"points\":{\"rating\":1},\"rating\":680,\"reasons\":[\"R02\"]}");
    assertEquals(680, output.rating());
    assertEquals("680", output.ratingText());
    assertNull(output.error());
    assertEquals("0.125", read("{\"rating\":0.125}").ratingText());
  }

  @Test
  void theLastRatingWinsAsInAJsonTree() throws Exception {
    assertEquals("2", read("{\"rating\":1,\"rating\":2}").ratingText());
  }

  @Test
  void anErrorIsTheModelsMessageWhateverItsShape() throws Exception {
    assertEquals("too young", read("{\"error\":\"too young\"}").error());
    assertEquals("{\"field\":\"age\"}", read("{\"error\":{\"field\":\"age\"}}").error());
    assertNull(read("{\"error\":null,\"rating\":1}").error());
  }

  @Test
  void aRatingThatIsNotANumberIsNoRating() throws Exception {
    assertNull(read("{\"rating\":\"680\"}").ratingText());
    assertNull(read("{\"rating\":[680]}").ratingText());
  }

  @ParameterizedTest
  @ValueSource(strings = {"not json", "[1,2]", "{\"rating\":1} trailing", "{\"rating\":", "\"x\""})
  void anythingButOneJsonObjectIsABadOutput(String json) {
    var e = assertThrows(RatingException.class, () -> read(json));
    assertEquals(Outcome.MODEL_BAD_OUTPUT, e.outcome());
    assertTrue(e.getMessage().startsWith("model output"), e.getMessage());
  }
}
