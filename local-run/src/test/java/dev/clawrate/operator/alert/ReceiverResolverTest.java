package dev.clawrate.operator.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.local.LocalCluster;
import dev.clawrate.operator.api.AlertReceiverSpec;
import dev.clawrate.operator.api.SecretKeyRef;
import dev.clawrate.operator.egress.EgressPolicy;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Receivers' Secrets as the API server holds them, read from the TenantConfig's namespace only. */
class ReceiverResolverTest {

  private static final String KEY = "R0utingKeyOfTheTestsOnly0123456";
  private static LocalCluster cluster;
  private static ReceiverResolver resolver;

  @BeforeAll
  static void start() {
    cluster = LocalCluster.start(0);
    EgressPolicy policy = EgressPolicy.defaults();
    resolver =
        new ReceiverResolver(
            cluster.client(),
            HttpUrl.get(ReceiverResolver.PAGERDUTY_EVENTS),
            false,
            url ->
                policy
                    .refusalOfHost(url.host())
                    .map(refusal -> "refused: " + refusal.phrase())
                    .orElse(null));
    secret("bank", "slack", "url", "https://hooks.slack.com/services/T0/B0/secret-token");
    secret("bank", "pd", "key", KEY);
    secret("bank", "plain", "url", "http://hooks.example.com/x");
    secret("bank", "metadata", "url", "https://169.254.169.254/latest");
    secret("bank", "internal", "url", "https://api.default.svc/hook");
    secret("bank", "short", "key", "abc");
    secret("bank", "creds", "url", "https://user:pass@hooks.example.com/x");
    secret("other", "theirs", "url", "https://hooks.slack.com/services/T9/B9/theirs");
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static void secret(String namespace, String name, String key, String value) {
    LocalCluster.createSecret(cluster.client(), namespace, name, key, value);
  }

  private static AlertReceiverSpec receiver(String type, String secret, String key) {
    AlertReceiverSpec spec = new AlertReceiverSpec();
    spec.setName("r");
    SecretKeyRef ref = new SecretKeyRef();
    ref.setName(secret);
    ref.setKey(key);
    switch (type) {
      case "slack" -> spec.setSlack(ref);
      case "pagerduty" -> spec.setPagerduty(ref);
      default -> spec.setWebhook(ref);
    }
    return spec;
  }

  @Test
  void slackAndPagerDutyResolveToTargetsWhoseTextKeepsTheirSecrets() {
    ReceiverResolver.Resolved slack =
        resolver.resolve("bank", "acme", receiver("slack", "slack", "url"));
    assertNull(slack.problem());
    assertEquals(ReceiverType.SLACK, slack.target().type());
    assertEquals("bank/acme", slack.target().owner());
    assertFalse(slack.target().toString().contains("secret-token"));
    ReceiverResolver.Resolved pd =
        resolver.resolve("bank", "acme", receiver("pagerduty", "pd", "key"));
    assertNull(pd.problem());
    assertEquals(KEY, pd.target().routingKey());
    assertEquals(ReceiverResolver.PAGERDUTY_EVENTS, pd.target().url().toString());
    assertFalse(pd.target().toString().contains(KEY));
  }

  @Test
  void aSecretOfAnotherNamespaceIsNotFoundFromThisOne() {
    ReceiverResolver.Resolved theirs =
        resolver.resolve("bank", "acme", receiver("slack", "theirs", "url"));
    assertNull(theirs.target());
    assertEquals("Secret theirs not found", theirs.problem());
  }

  @Test
  void problemsNameTheSecretAndKeyButNeverItsContent() {
    assertEquals(
        "Secret slack key nope not found",
        resolver.resolve("bank", "acme", receiver("slack", "slack", "nope")).problem());
    assertEquals(
        "Secret short key key does not hold a PagerDuty integration key",
        resolver.resolve("bank", "acme", receiver("pagerduty", "short", "key")).problem());
    String plain = resolver.resolve("bank", "acme", receiver("webhook", "plain", "url")).problem();
    assertTrue(plain.contains("does not hold an https URL"), plain);
    assertFalse(plain.contains("hooks.example.com"), plain);
    String creds = resolver.resolve("bank", "acme", receiver("webhook", "creds", "url")).problem();
    assertFalse(creds.contains("pass"), creds);
  }

  @Test
  void urlsIntoTheClusterOrTheCloudsMetadataAreRefusedBeforeAnyConnection() {
    String metadata =
        resolver.resolve("bank", "acme", receiver("webhook", "metadata", "url")).problem();
    assertEquals("the URL in Secret metadata key url is refused: a link-local address", metadata);
    String internal =
        resolver.resolve("bank", "acme", receiver("webhook", "internal", "url")).problem();
    assertEquals(
        "the URL in Secret internal key url is refused: a cluster-internal host name", internal);
  }

  @Test
  void malformedReferencesAreRefusedWithoutAskingTheApiServer() {
    assertEquals(
        "a receiver's Secret name is not a DNS subdomain",
        resolver.resolve("bank", "acme", receiver("slack", "../secrets", "url")).problem());
    AlertReceiverSpec two = receiver("slack", "slack", "url");
    two.setWebhook(two.getSlack());
    assertEquals(
        "exactly one of slack, pagerduty or webhook must be set",
        resolver.resolve("bank", "acme", two).problem());
  }
}
