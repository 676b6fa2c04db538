package dev.clawrate.operator.alert;

import dev.clawrate.operator.api.AlertReceiverSpec;
import dev.clawrate.operator.api.KubeNames;
import dev.clawrate.operator.api.SecretKeyRef;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Function;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * Turns a receiver of a TenantConfig into where its notifications go, reading its Secret from the
 * TenantConfig's own namespace and nowhere else. A problem is said in the operator's words: the
 * Secret's name and key may be quoted (they are in the spec), its content never.
 */
public final class ReceiverResolver {

  /** PagerDuty's Events API v2; the operator may point elsewhere (an EU account, a test server). */
  public static final String PAGERDUTY_EVENTS = "https://events.pagerduty.com/v2/enqueue";

  /** Integration keys are 32 characters; leave room for other accounts' formats, no more. */
  private static final Pattern ROUTING_KEY = Pattern.compile("[A-Za-z0-9]{20,64}");

  private static final int MAX_URL = 2048;

  /** A receiver resolved: a target, or why there is none. */
  public record Resolved(ReceiverTarget target, String problem) {}

  private final KubernetesClient client;
  private final HttpUrl pagerDuty;
  private final boolean plainHttpAllowed;
  private final Function<HttpUrl, String> whyNotAddress;

  /**
   * @param pagerDuty where PagerDuty events go
   * @param plainHttpAllowed whether a Slack or webhook URL may be {@code http} (the local run's
   *     demo receiver); production receivers take https only, since the URL carries the credential
   * @param whyNotAddress the operator's egress policy on a URL's host before any connection, null
   *     when allowed; the connection itself is checked again when it is made
   */
  public ReceiverResolver(
      KubernetesClient client,
      HttpUrl pagerDuty,
      boolean plainHttpAllowed,
      Function<HttpUrl, String> whyNotAddress) {
    this.client = client;
    this.pagerDuty = pagerDuty;
    this.plainHttpAllowed = plainHttpAllowed;
    this.whyNotAddress = whyNotAddress;
  }

  public Resolved resolve(String namespace, String tenantConfig, AlertReceiverSpec spec) {
    String owner = namespace + "/" + tenantConfig;
    String name = spec.getName();
    if (KubeNames.whyNotDnsLabel(name) != null) {
      return new Resolved(null, "the receiver's name is not a DNS label");
    }
    int kinds =
        (spec.getSlack() != null ? 1 : 0)
            + (spec.getPagerduty() != null ? 1 : 0)
            + (spec.getWebhook() != null ? 1 : 0);
    if (kinds != 1) {
      return new Resolved(null, "exactly one of slack, pagerduty or webhook must be set");
    }
    try {
      if (spec.getPagerduty() != null) {
        String key = secret(namespace, spec.getPagerduty());
        if (!ROUTING_KEY.matcher(key).matches()) {
          return new Resolved(
              null, where(spec.getPagerduty()) + " does not hold a PagerDuty integration key");
        }
        return new Resolved(
            new ReceiverTarget(owner, name, ReceiverType.PAGERDUTY, pagerDuty, key), null);
      }
      SecretKeyRef ref = spec.getSlack() != null ? spec.getSlack() : spec.getWebhook();
      ReceiverType type = spec.getSlack() != null ? ReceiverType.SLACK : ReceiverType.WEBHOOK;
      String text = secret(namespace, ref);
      HttpUrl url = text.length() > MAX_URL ? null : HttpUrl.parse(text);
      if (url == null
          || !(url.isHttps() || plainHttpAllowed)
          || !url.username().isEmpty()
          || !url.password().isEmpty()
          || url.fragment() != null) {
        return new Resolved(
            null,
            where(ref)
                + " does not hold an "
                + (plainHttpAllowed ? "http(s)" : "https")
                + " URL without credentials or fragment");
      }
      String refused = whyNotAddress.apply(url);
      if (refused != null) {
        return new Resolved(null, "the URL in " + where(ref) + " is " + refused);
      }
      return new Resolved(new ReceiverTarget(owner, name, type, url, null), null);
    } catch (Unresolvable e) {
      return new Resolved(null, e.getMessage());
    }
  }

  private String secret(String namespace, SecretKeyRef ref) throws Unresolvable {
    if (ref.getName() == null || KubeNames.whyNotDnsSubdomain(ref.getName()) != null) {
      throw new Unresolvable("a receiver's Secret name is not a DNS subdomain");
    }
    if (ref.getKey() == null || KubeNames.whyNotConfigMapKey(ref.getKey()) != null) {
      throw new Unresolvable("a receiver's Secret key is not a valid key");
    }
    Secret secret;
    try {
      secret = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
    } catch (KubernetesClientException e) {
      throw new Unresolvable(
          "Secret "
              + ref.getName()
              + " could not be read (HTTP "
              + e.getCode()
              + "): the operator needs get on secrets in this namespace");
    }
    if (secret == null) {
      throw new Unresolvable("Secret " + ref.getName() + " not found");
    }
    String value = null;
    if (secret.getData() != null && secret.getData().get(ref.getKey()) != null) {
      try {
        value =
            new String(
                Base64.getMimeDecoder().decode(secret.getData().get(ref.getKey())),
                StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new Unresolvable(where(ref) + " is not base64");
      }
    } else if (secret.getStringData() != null) {
      value = secret.getStringData().get(ref.getKey());
    }
    if (value == null) {
      throw new Unresolvable(where(ref) + " not found");
    }
    return value.strip();
  }

  private static String where(SecretKeyRef ref) {
    return "Secret " + ref.getName() + " key " + ref.getKey();
  }

  /** Why a receiver cannot be used; its message quotes names from the spec, never content. */
  private static final class Unresolvable extends Exception {
    private static final long serialVersionUID = 1L;

    Unresolvable(String message) {
      super(message, null, false, false);
    }
  }
}
