package dev.clawrate.operator.alert.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clawrate.operator.alert.AlertKind;
import dev.clawrate.operator.alert.Notification;
import dev.clawrate.operator.alert.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SlackMessageTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode render(Notification n) throws Exception {
    return JSON.readTree(SlackMessage.render(n));
  }

  private static List<String> fieldTexts(JsonNode message) {
    List<String> texts = new ArrayList<>();
    for (JsonNode field : message.get("blocks").get(1).get("fields")) {
      assertEquals("mrkdwn", field.get("type").asText());
      texts.add(field.get("text").asText());
    }
    return texts;
  }

  @Test
  void firingMessageHasEveryBlockInOrder() throws Exception {
    JsonNode message = render(Samples.firing());

    assertEquals(List.of("text", "blocks"), List.copyOf(iterable(message.fieldNames())));
    assertTrue(message.get("text").isTextual());
    assertEquals("FIRING: " + Samples.SUMMARY, message.get("text").asText());
    JsonNode blocks = message.get("blocks");
    assertEquals(5, blocks.size());

    JsonNode header = blocks.get(0);
    assertEquals("header", header.get("type").asText());
    assertEquals("plain_text", header.get("text").get("type").asText());
    assertEquals("FIRING: acme-bank latency (page)", header.get("text").get("text").asText());

    assertEquals("section", blocks.get(1).get("type").asText());
    assertEquals(
        List.of(
            "*Tenant*\nacme-bank",
            "*Objective*\nlatency",
            "*Severity*\npage",
            "*Burn rate*\n15.2x (threshold 14.4x)",
            "*Regions*\neu-west, local",
            "*Since*\n2025-03-01T10:15:30Z"),
        fieldTexts(message));

    JsonNode description = blocks.get(2);
    assertEquals("section", description.get("type").asText());
    assertEquals("mrkdwn", description.get("text").get("type").asText());
    assertEquals(Samples.DESCRIPTION, description.get("text").get("text").asText());

    JsonNode actions = blocks.get(3);
    assertEquals("actions", actions.get("type").asText());
    JsonNode buttons = actions.get("elements");
    assertEquals(2, buttons.size());
    JsonNode dashboard = buttons.get(0);
    assertEquals("button", dashboard.get("type").asText());
    assertEquals("plain_text", dashboard.get("text").get("type").asText());
    assertEquals("Dashboard", dashboard.get("text").get("text").asText());
    assertEquals(Samples.DASHBOARD.href(), dashboard.get("url").asText());
    assertEquals("Runbook", buttons.get(1).get("text").get("text").asText());
    assertEquals(Samples.RUNBOOK.href(), buttons.get(1).get("url").asText());
    assertFalse(
        dashboard.get("action_id").asText().equals(buttons.get(1).get("action_id").asText()),
        "action_ids are unique within the block");

    JsonNode context = blocks.get(4);
    assertEquals("context", context.get("type").asText());
    JsonNode element = context.get("elements").get(0);
    assertEquals("mrkdwn", element.get("type").asText());
    assertTrue(element.get("text").asText().contains(Samples.KEY.dedupKey()));
  }

  @Test
  void resolvedMessageSaysSoAndWhen() throws Exception {
    JsonNode message = render(Samples.resolved());

    assertEquals("RESOLVED: " + Samples.SUMMARY, message.get("text").asText());
    assertEquals(
        "RESOLVED: acme-bank latency (page)",
        message.get("blocks").get(0).get("text").get("text").asText());
    List<String> fields = fieldTexts(message);
    assertTrue(fields.contains("*Since*\n2025-03-01T10:15:30Z"), fields.toString());
    assertTrue(fields.contains("*Resolved at*\n2025-03-01T11:02:00Z"), fields.toString());
  }

  @Test
  void noBurnRateLeavesTheFieldOut() throws Exception {
    Notification n =
        Samples.with(
            AlertKind.REGION,
            Severity.TICKET,
            "acme-bank",
            "region eu-west unhealthy",
            "raters refuse the snapshot",
            Double.NaN,
            Double.NaN,
            List.of("eu-west"),
            List.of());
    String rendered = SlackMessage.render(n);
    JsonNode message = JSON.readTree(rendered);

    assertFalse(rendered.contains("NaN"), rendered);
    assertTrue(fieldTexts(message).stream().noneMatch(f -> f.startsWith("*Burn rate*")));
    assertTrue(
        iterableOf(message.get("blocks")).stream()
            .noneMatch(b -> b.get("type").asText().equals("actions")),
        "no links, no actions block");
  }

  @Test
  void mrkdwnControlCharactersAreEscapedAndPlainTextIsNot() throws Exception {
    Notification n =
        Samples.with(
            AlertKind.LATENCY,
            Severity.PAGE,
            "acme-bank",
            "p99 > 250 ms & <!channel>",
            "errors < 1% & latency > 250 ms <https://evil.example|click>",
            2,
            1,
            List.of(),
            List.of(new Notification.Link("A & B <runbook>", "https://example.com/a?b=1&c=2")));
    JsonNode message = render(n);

    assertEquals("FIRING: p99 &gt; 250 ms &amp; &lt;!channel&gt;", message.get("text").asText());
    assertEquals(
        "errors &lt; 1% &amp; latency &gt; 250 ms &lt;https://evil.example|click&gt;",
        message.get("blocks").get(2).get("text").get("text").asText());
    JsonNode button = message.get("blocks").get(3).get("elements").get(0);
    assertEquals("A & B <runbook>", button.get("text").get("text").asText());
    assertEquals("https://example.com/a?b=1&c=2", button.get("url").asText());
  }

  @Test
  void textsAreCutToSlacksLimits() throws Exception {
    String longTenant = "t".repeat(200);
    Notification n =
        Samples.with(
            AlertKind.AVAILABILITY,
            Severity.PAGE,
            longTenant,
            Samples.SUMMARY,
            "&".repeat(5000),
            1,
            1,
            IntStream.range(0, 500).mapToObj(i -> "region-" + i).toList(),
            IntStream.range(0, 30)
                .mapToObj(i -> new Notification.Link("x".repeat(100), "https://example.com/" + i))
                .toList());
    JsonNode message = render(n);
    JsonNode blocks = message.get("blocks");

    String header = blocks.get(0).get("text").get("text").asText();
    assertEquals(150, header.length());
    assertTrue(header.startsWith("FIRING: ttt") && header.endsWith("…"), header);

    for (String field : fieldTexts(message)) {
      assertTrue(field.length() <= 2000, "field of " + field.length());
    }
    String regions =
        fieldTexts(message).stream().filter(f -> f.startsWith("*Regions*")).findFirst().get();
    assertTrue(regions.endsWith("…"), "cut regions end in an ellipsis");

    String description = blocks.get(2).get("text").get("text").asText();
    assertTrue(description.length() <= 3000, "description of " + description.length());
    assertTrue(description.endsWith("…"));
    assertTrue(
        description.substring(0, description.length() - 1).matches("(&amp;)+"),
        "never cut inside an entity");

    JsonNode buttons = blocks.get(3).get("elements");
    assertEquals(25, buttons.size(), "an actions block holds at most 25 elements");
    for (JsonNode button : buttons) {
      String text = button.get("text").get("text").asText();
      assertEquals(75, text.length());
      assertTrue(text.endsWith("…"));
    }
  }

  @Test
  void cutsNeverSplitASurrogatePair() {
    String emoji = "\uD83D\uDD25";
    String cut = SlackMessage.mrkdwn("a" + emoji.repeat(10), 6);

    assertTrue(cut.length() <= 6, cut);
    assertTrue(cut.endsWith("…"));
    assertFalse(Character.isHighSurrogate(cut.charAt(cut.length() - 2)), cut);
    assertEquals("a" + emoji + emoji + "…", cut);
  }

  @Test
  void unusableLinksGetNoButton() throws Exception {
    Notification n =
        Samples.with(
            AlertKind.FALLBACK,
            Severity.TICKET,
            "acme-bank",
            Samples.SUMMARY,
            "",
            Double.NaN,
            Double.NaN,
            List.of(),
            List.of(
                new Notification.Link("relative", "/d/clawrate"),
                new Notification.Link("script", "javascript:alert(1)"),
                new Notification.Link("", "https://example.com/" + "p".repeat(3001)),
                new Notification.Link("", "https://example.com/ok")));
    JsonNode blocks = render(n).get("blocks");

    assertEquals(
        List.of("header", "section", "actions", "context"),
        iterableOf(blocks).stream().map(b -> b.get("type").asText()).toList(),
        "an empty description has no section (Slack refuses empty text)");
    JsonNode buttons = blocks.get(2).get("elements");
    assertEquals(1, buttons.size());
    assertEquals("https://example.com/ok", buttons.get(0).get("url").asText());
    assertEquals("Link", buttons.get(0).get("text").get("text").asText());
  }

  private static <T> List<T> iterable(java.util.Iterator<T> iterator) {
    List<T> list = new ArrayList<>();
    iterator.forEachRemaining(list::add);
    return list;
  }

  private static List<JsonNode> iterableOf(JsonNode array) {
    return iterable(array.elements());
  }
}
