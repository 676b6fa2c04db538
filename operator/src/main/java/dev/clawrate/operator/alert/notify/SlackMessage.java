package dev.clawrate.operator.alert.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawrate.operator.alert.AlertState;
import dev.clawrate.operator.alert.Notification;
import java.util.List;

/**
 * A Slack incoming-webhook body in Block Kit: a header, the facts as fields, the description, one
 * button per link and the dedup key, with a plain {@code text} for notifications and clients
 * without blocks. Every text respects the limit Slack documents for its place, since Slack refuses
 * the whole message (HTTP 400) when one is exceeded.
 */
public final class SlackMessage {

  /** A header block's plain_text. */
  static final int HEADER_MAX = 150;

  /** A section block's text; also the cap of the fallback text, more than any preview shows. */
  static final int SECTION_TEXT_MAX = 3000;

  /** One text of a section block's fields. */
  static final int FIELD_MAX = 2000;

  /** A button's plain_text. */
  static final int BUTTON_TEXT_MAX = 75;

  /** A button's url. */
  static final int BUTTON_URL_MAX = 3000;

  /** Elements of an actions block. */
  static final int ACTIONS_MAX = 25;

  private static final ObjectMapper JSON = new ObjectMapper();

  private SlackMessage() {}

  public static String render(Notification n) {
    ObjectNode message = JSON.createObjectNode();
    message.put("text", mrkdwn(Texts.statePrefix(n) + ": " + n.summary(), SECTION_TEXT_MAX));
    ArrayNode blocks = message.putArray("blocks");
    blocks.add(header(n));
    blocks.add(facts(n));
    if (!Texts.isBlank(n.description())) {
      ObjectNode description = blocks.addObject().put("type", "section");
      text(description.putObject("text"), "mrkdwn", mrkdwn(n.description(), SECTION_TEXT_MAX));
    }
    List<Notification.Link> links =
        Texts.links(n).stream().filter(l -> l.href().length() <= BUTTON_URL_MAX).toList();
    if (!links.isEmpty()) {
      ArrayNode buttons = blocks.addObject().put("type", "actions").putArray("elements");
      for (int i = 0; i < Math.min(links.size(), ACTIONS_MAX); i++) {
        Notification.Link link = links.get(i);
        ObjectNode button = buttons.addObject().put("type", "button");
        String label = Texts.isBlank(link.text()) ? "Link" : link.text();
        text(button.putObject("text"), "plain_text", Texts.truncate(label, BUTTON_TEXT_MAX));
        button.put("url", link.href());
        button.put("action_id", "link-" + i);
      }
    }
    ArrayNode context = blocks.addObject().put("type", "context").putArray("elements");
    text(context.addObject(), "mrkdwn", "Dedup key: `" + n.key().dedupKey() + "`");
    return message.toString();
  }

  /**
   * {@code raw} escaped for mrkdwn as Slack documents (only {@code &}, {@code <} and {@code >}, its
   * control characters) and cut to {@code max} characters after escaping, never inside an entity or
   * a surrogate pair.
   */
  static String mrkdwn(String raw, int max) {
    String escaped = escape(raw);
    if (escaped.length() <= max) {
      return escaped;
    }
    int limit = max - Texts.ELLIPSIS.length();
    StringBuilder out = new StringBuilder(max);
    int i = 0;
    while (i < raw.length()) {
      int codePoint = raw.codePointAt(i);
      String piece = escape(new String(Character.toChars(codePoint)));
      if (out.length() + piece.length() > limit) {
        break;
      }
      out.append(piece);
      i += Character.charCount(codePoint);
    }
    return out.append(Texts.ELLIPSIS).toString();
  }

  static String escape(String raw) {
    return raw.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static ObjectNode header(Notification n) {
    ObjectNode header = JSON.createObjectNode().put("type", "header");
    String title =
        Texts.statePrefix(n)
            + ": "
            + n.tenant()
            + " "
            + n.kind().label()
            + " ("
            + n.severity().label()
            + ")";
    text(header.putObject("text"), "plain_text", Texts.truncate(title, HEADER_MAX));
    return header;
  }

  private static ObjectNode facts(Notification n) {
    ObjectNode section = JSON.createObjectNode().put("type", "section");
    ArrayNode fields = section.putArray("fields");
    field(fields, "Tenant", n.tenant());
    field(fields, "Objective", n.kind().label());
    field(fields, "Severity", n.severity().label());
    if (!Double.isNaN(n.burnRate())) {
      String burn = Texts.number(n.burnRate()) + "x";
      if (!Double.isNaN(n.burnThreshold())) {
        burn += " (threshold " + Texts.number(n.burnThreshold()) + "x)";
      }
      field(fields, "Burn rate", burn);
    }
    if (!n.regions().isEmpty()) {
      field(fields, "Regions", String.join(", ", n.regions()));
    }
    field(fields, "Since", Texts.time(n.startsAt()));
    if (n.state() == AlertState.RESOLVED && n.endsAt() != null) {
      field(fields, "Resolved at", Texts.time(n.endsAt()));
    }
    return section;
  }

  private static void field(ArrayNode fields, String label, String value) {
    String heading = "*" + label + "*\n";
    text(fields.addObject(), "mrkdwn", heading + mrkdwn(value, FIELD_MAX - heading.length()));
  }

  private static void text(ObjectNode node, String type, String text) {
    node.put("type", type);
    node.put("text", text);
  }
}
