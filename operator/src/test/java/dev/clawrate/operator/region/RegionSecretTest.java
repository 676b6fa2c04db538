package dev.clawrate.operator.region;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegionSecretTest {

  private static final String DEFAULT_NAMESPACE = "clawrate";
  private static final String TOKEN = "tok-7f3a9c1e-member";
  private static final String SECRET = "s3cr3t-Zq81-do-not-print";

  /** One cluster, user and context; {@code %s} is the user's fields. */
  private static final String SINGLE =
      """
      apiVersion: v1
      kind: Config
      clusters:
      - name: member
        cluster:
          server: https://member.example:6443
          certificate-authority-data: Q0EtREFUQQ==
      users:
      - name: admin
        user:
      %s
      contexts:
      - name: kind-member
        context:
          cluster: member
          user: admin
      current-context: kind-member
      """;

  private static final String TWO_CONTEXTS =
      """
      apiVersion: v1
      kind: Config
      clusters:
      - name: east
        cluster:
          server: https://east.example
      - name: west
        cluster:
          server: https://west.example
      users:
      - name: east-admin
        user:
          token: east-token
      - name: west-admin
        user:
          token: west-token
      contexts:
      - name: east
        context:
          cluster: east
          user: east-admin
          namespace: raters-east
      - name: west
        context:
          cluster: west
          user: west-admin
      %s
      """;

  private static String single(String... userFields) {
    StringBuilder fields = new StringBuilder();
    for (String field : userFields) {
      fields.append(fields.isEmpty() ? "    " : "\n    ").append(field);
    }
    return SINGLE.formatted(fields);
  }

  private static String withToken() {
    return single("token: " + TOKEN);
  }

  private static Secret secret(String region, Map<String, String> values) {
    var data = new HashMap<String, String>();
    values.forEach(
        (key, value) ->
            data.put(
                key, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))));
    var builder =
        new SecretBuilder()
            .withNewMetadata()
            .withName("region-secret")
            .withNamespace("clawrate-system")
            .endMetadata()
            .withData(data);
    if (region != null) {
      builder.editMetadata().addToLabels(RegionNames.LABEL, region).endMetadata();
    }
    return builder.build();
  }

  private static Secret secret(String kubeconfig) {
    return secret("eu-west", Map.of("kubeconfig", kubeconfig));
  }

  private static RegionSecret.Valid valid(Secret secret) {
    RegionSecret result = RegionSecret.parse(secret, DEFAULT_NAMESPACE);
    return assertInstanceOf(RegionSecret.Valid.class, result, result::toString);
  }

  private static RegionSecret.Invalid invalid(Secret secret, String reason) {
    RegionSecret result = RegionSecret.parse(secret, DEFAULT_NAMESPACE);
    var invalid = assertInstanceOf(RegionSecret.Invalid.class, result, result::toString);
    assertEquals(reason, invalid.reason(), invalid::toString);
    return invalid;
  }

  private static void assertNotLeaked(RegionSecret result, String... secrets) {
    String whole = result.toString();
    if (result instanceof RegionSecret.Invalid invalid) {
      whole += invalid.reason() + invalid.message();
    }
    for (String secret : secrets) {
      assertFalse(whole.contains(secret), whole);
    }
  }

  @Test
  void aKubeconfigWithATokenConnects() {
    RegionSecret.Valid region = valid(secret(withToken()));

    assertEquals("eu-west", region.region());
    assertEquals(DEFAULT_NAMESPACE, region.namespace());
    Config config = region.config();
    assertEquals("https://member.example:6443/", config.getMasterUrl());
    assertEquals(TOKEN, config.getAutoOAuthToken());
    assertEquals("Q0EtREFUQQ==", config.getCaCertData());
    assertEquals(DEFAULT_NAMESPACE, config.getNamespace());
    assertEquals("kind-member", config.getCurrentContext().getName());
    assertFalse(region.skipsTlsVerification());
    assertTrue(region.fingerprint().matches("[0-9a-f]{64}"), region.fingerprint());
  }

  @Test
  void theConfigGivesUpQuicklyAndLeavesRetriesToTheCaller() {
    Config config = valid(secret(withToken())).config();

    assertEquals(5_000, config.getConnectionTimeout());
    assertEquals(10_000, config.getRequestTimeout());
    assertEquals(0, config.getRequestRetryBackoffLimit());
  }

  @Test
  void aKubeconfigWithInlineClientCertificatesConnects() {
    Config config =
        valid(secret(single("client-certificate-data: Q0VSVA==", "client-key-data: S0VZ")))
            .config();

    assertEquals("Q0VSVA==", config.getClientCertData());
    assertEquals("S0VZ", config.getClientKeyData());
    assertNull(config.getAutoOAuthToken());
  }

  @Test
  void skippingTlsVerificationIsAllowedButTold() {
    String kubeconfig =
        withToken()
            .replace("certificate-authority-data: Q0EtREFUQQ==", "insecure-skip-tls-verify: true");

    RegionSecret.Valid region = valid(secret(kubeconfig));

    assertTrue(region.skipsTlsVerification());
    assertTrue(region.config().isTrustCerts());
  }

  @Test
  void theCurrentContextIsTheDefault() {
    Config config = valid(secret(TWO_CONTEXTS.formatted("current-context: west"))).config();

    assertEquals("https://west.example/", config.getMasterUrl());
    assertEquals("west-token", config.getAutoOAuthToken());
  }

  @Test
  void keyContextChoosesAnotherContext() {
    Secret secret =
        secret(
            "eu-west",
            Map.of(
                "kubeconfig", TWO_CONTEXTS.formatted("current-context: west"), "context", "east"));

    Config config = valid(secret).config();

    assertEquals("https://east.example/", config.getMasterUrl());
    assertEquals("east-token", config.getAutoOAuthToken());
  }

  @Test
  void theOnlyContextNeedsNoCurrentContext() {
    String kubeconfig = withToken().replace("current-context: kind-member", "");

    Config config = valid(secret(kubeconfig)).config();

    assertEquals("kind-member", config.getCurrentContext().getName());
    assertEquals(TOKEN, config.getAutoOAuthToken());
  }

  @Test
  void severalContextsWithoutCurrentContextNeedKeyContext() {
    var invalid = invalid(secret(TWO_CONTEXTS.formatted("")), RegionSecret.UNKNOWN_CONTEXT);

    assertEquals("eu-west", invalid.region());
    assertEquals(
        "key 'kubeconfig' has several contexts and no current-context; name one in key 'context'",
        invalid.message());
  }

  @Test
  void anUnknownContextIsNamedWhenItsNameIsSafe() {
    Secret secret = secret("eu-west", Map.of("kubeconfig", withToken(), "context", "kind-other"));

    var invalid = invalid(secret, RegionSecret.UNKNOWN_CONTEXT);

    assertEquals(
        "key 'kubeconfig' lacks context 'kind-other', which key 'context' asks for",
        invalid.message());
  }

  @Test
  void anUnknownCurrentContextIsRefused() {
    String kubeconfig = withToken().replace("current-context: kind-member", "current-context: x");

    var invalid = invalid(secret(kubeconfig), RegionSecret.UNKNOWN_CONTEXT);

    assertEquals(
        "key 'kubeconfig' lacks context 'x', which is its current-context", invalid.message());
  }

  @Test
  void aContextNameThatIsNotSafeIsNotQuoted() {
    String context = "arn:aws:eks:" + SECRET;
    Secret secret = secret("eu-west", Map.of("kubeconfig", withToken(), "context", context));

    var invalid = invalid(secret, RegionSecret.UNKNOWN_CONTEXT);

    assertEquals(
        "key 'kubeconfig' lacks the named context, which key 'context' asks for",
        invalid.message());
    assertNotLeaked(invalid, SECRET);
  }

  @Test
  void theNamespaceComesFromKeyNamespaceFirst() {
    Secret secret =
        secret(
            "eu-west",
            Map.of(
                "kubeconfig",
                TWO_CONTEXTS.formatted("current-context: east"),
                "namespace",
                "raters\n"));

    RegionSecret.Valid region = valid(secret);

    assertEquals("raters", region.namespace());
    assertEquals("raters", region.config().getNamespace());
  }

  @Test
  void theNamespaceComesFromTheContextSecond() {
    RegionSecret.Valid region = valid(secret(TWO_CONTEXTS.formatted("current-context: east")));

    assertEquals("raters-east", region.namespace());
    assertEquals("raters-east", region.config().getNamespace());
  }

  @Test
  void theNamespaceIsTheDefaultLast() {
    RegionSecret.Valid region = valid(secret(TWO_CONTEXTS.formatted("current-context: west")));

    assertEquals(DEFAULT_NAMESPACE, region.namespace());
  }

  @Test
  void aNamespaceMustBeADnsLabel() {
    Secret fromKey =
        secret("eu-west", Map.of("kubeconfig", withToken(), "namespace", "Raters/" + SECRET));
    var invalid = invalid(fromKey, RegionSecret.INVALID_NAMESPACE);
    assertEquals(
        "key 'namespace' may contain only lowercase letters, digits and '-'", invalid.message());
    assertNotLeaked(invalid, SECRET);

    String badContext =
        TWO_CONTEXTS.formatted("current-context: east").replace("raters-east", "raters.east");
    assertEquals(
        "the namespace of context 'east' may contain only lowercase letters, digits and '-'",
        invalid(secret(badContext), RegionSecret.INVALID_NAMESPACE).message());

    assertEquals(
        "the default namespace is missing",
        assertInstanceOf(RegionSecret.Invalid.class, RegionSecret.parse(secret(withToken()), null))
            .message());
  }

  @Test
  void stringDataIsReadAndWinsOverData() {
    Secret secret =
        new SecretBuilder(secret("eu-west", Map.of("kubeconfig", "not: [a kubeconfig")))
            .addToStringData("kubeconfig", withToken())
            .addToStringData("namespace", "raters")
            .build();

    RegionSecret.Valid region = valid(secret);

    assertEquals(TOKEN, region.config().getAutoOAuthToken());
    assertEquals("raters", region.namespace());
  }

  @Test
  void theRegionNameMustBeADnsLabel() {
    for (String name : List.of("", "EU-West", "eu_west", "-eu", "eu-", "e".repeat(64), "a/b")) {
      var invalid =
          invalid(
              secret(name, Map.of("kubeconfig", withToken())), RegionSecret.INVALID_REGION_NAME);
      assertNull(invalid.region(), name);
      if (!name.isEmpty()) {
        assertNotLeaked(invalid, name);
      }
    }
    var unlabelled = invalid(secret(null, Map.of()), RegionSecret.INVALID_REGION_NAME);
    assertEquals("label clawrate.dev/region is missing", unlabelled.message());
    assertTrue(RegionNames.isValidName("eu-west-1"));
    assertTrue(RegionNames.isValidName(RegionNames.LOCAL));
    assertFalse(RegionNames.isValidName("eu.west"));
    assertFalse(RegionNames.isValidName(null));
  }

  @Test
  void theHubsRegionNameIsReserved() {
    var invalid =
        invalid(
            secret(RegionNames.LOCAL, Map.of("kubeconfig", withToken())),
            RegionSecret.RESERVED_REGION_NAME);

    assertNull(invalid.region());
  }

  @Test
  void aKubeconfigIsRequired() {
    assertEquals(
        "the Secret has no key 'kubeconfig'",
        invalid(secret("eu-west", Map.of("context", "x")), RegionSecret.MISSING_KUBECONFIG)
            .message());
    assertEquals(
        "key 'kubeconfig' is empty",
        invalid(secret(""), RegionSecret.MISSING_KUBECONFIG).message());
  }

  @Test
  void whatIsNotAUsableKubeconfigIsRefused() {
    String notAKubeconfig = KubeconfigContext.NOT_A_KUBECONFIG;
    Map<String, String> cases =
        Map.ofEntries(
            Map.entry("clusters: [", notAKubeconfig),
            Map.entry("just words", notAKubeconfig),
            Map.entry("[1, 2]", notAKubeconfig),
            Map.entry(withToken() + "\n---\n" + withToken(), notAKubeconfig),
            Map.entry("kind: Config\nclusters: []\n", "key 'kubeconfig' has no contexts"),
            Map.entry(
                withToken().replace("cluster: member", "cluster: other"),
                "context 'kind-member' names no cluster that key 'kubeconfig' has"),
            Map.entry(
                withToken().replace("user: admin", "user: other"),
                "context 'kind-member' names no user that key 'kubeconfig' has"),
            Map.entry(
                withToken().replace("server: https://member.example:6443", "server: \"\""),
                "the cluster of context 'kind-member' has no server"),
            Map.entry(
                withToken().replace("https://member.example:6443", "member.example:6443"),
                "the cluster of context 'kind-member' has a server that is not an https:// or"
                    + " http:// URL"),
            Map.entry(
                withToken().replace("- name: admin", "- name: admin\n  user: {}\n- name: admin"),
                "key 'kubeconfig' has two users of the same name"));
    cases.forEach(
        (kubeconfig, message) ->
            assertEquals(
                message,
                invalid(secret(kubeconfig), RegionSecret.INVALID_KUBECONFIG).message(),
                kubeconfig));

    Secret notBase64 = secret(withToken());
    notBase64.getData().put("kubeconfig", "%%%");
    assertEquals(
        "key 'kubeconfig' is not valid base64",
        invalid(notBase64, RegionSecret.INVALID_KUBECONFIG).message());
  }

  @Test
  void credentialsThatRunCommandsOrReadFilesAreRefused() {
    Map<String, String> cases =
        Map.of(
            single("exec:", "  apiVersion: client.authentication.k8s.io/v1", "  command: touch"),
            "runs a command (exec)",
            single("auth-provider:", "  name: oidc", "  config:", "    id-token: abc"),
            "uses an auth-provider plugin",
            single("client-certificate: /etc/hub/tls.crt", "client-key-data: S0VZ"),
            "reads client-certificate or client-key from a file",
            single("client-certificate-data: Q0VSVA==", "client-key: /etc/hub/tls.key"),
            "reads client-certificate or client-key from a file",
            single("tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token"),
            "reads tokenFile from a file",
            withToken()
                .replace(
                    "certificate-authority-data: Q0EtREFUQQ==",
                    "certificate-authority: /etc/ssl/ca.crt"),
            "reads certificate-authority from a file");
    cases.forEach(
        (kubeconfig, problem) -> {
          var invalid = invalid(secret(kubeconfig), RegionSecret.UNSUPPORTED_CREDENTIALS);
          assertTrue(invalid.message().contains(problem), invalid.message());
          assertNotLeaked(invalid, "/etc/", "/var/", "touch", "abc");
        });
  }

  @Test
  void malformedYamlIsNotQuoted() {
    String malformed = "users:\n- name: admin\n  user:\n    token: \"" + SECRET + "\n";
    // The parser itself quotes the input, which is what must not get through.
    var thrown =
        assertThrows(
            RuntimeException.class,
            () -> Serialization.unmarshal(malformed, io.fabric8.kubernetes.api.model.Config.class));
    assertTrue(String.valueOf(thrown.getMessage()).contains(SECRET), thrown::getMessage);

    var invalid = invalid(secret(malformed), RegionSecret.INVALID_KUBECONFIG);

    assertEquals(KubeconfigContext.NOT_A_KUBECONFIG, invalid.message());
    assertNotLeaked(invalid, SECRET);
  }

  @Test
  void noResultShowsTheSecretsBytes() {
    String kubeconfig =
        single("token: " + SECRET)
            .replace("https://member.example:6443", "https://" + SECRET + ".example");
    Secret unknownContext =
        secret("eu-west", Map.of("kubeconfig", kubeconfig, "context", "kind-other"));
    Secret badNamespace =
        secret("eu-west", Map.of("kubeconfig", kubeconfig, "namespace", SECRET + "!"));
    String badServer = kubeconfig.replace("https://", "ftp://");
    String exec = kubeconfig.replace("token: " + SECRET, "exec:\n      command: " + SECRET);

    List<RegionSecret> results =
        List.of(
            RegionSecret.parse(secret(kubeconfig), DEFAULT_NAMESPACE),
            RegionSecret.parse(unknownContext, DEFAULT_NAMESPACE),
            RegionSecret.parse(badNamespace, DEFAULT_NAMESPACE),
            RegionSecret.parse(secret(badServer), DEFAULT_NAMESPACE),
            RegionSecret.parse(secret(exec), DEFAULT_NAMESPACE));

    assertInstanceOf(RegionSecret.Valid.class, results.get(0));
    for (int i = 1; i < results.size(); i++) {
      assertInstanceOf(RegionSecret.Invalid.class, results.get(i), results.get(i)::toString);
    }
    results.forEach(result -> assertNotLeaked(result, SECRET, "ftp:", ".example"));
  }

  @Test
  void validPrintsNeitherConfigNorFullFingerprint() {
    RegionSecret.Valid region = valid(secret(withToken()));

    assertEquals(
        "Valid[region=eu-west, namespace=clawrate, fingerprint="
            + region.fingerprint().substring(0, 12)
            + "]",
        region.toString());
  }

  @Test
  void theFingerprintChangesWithTheConnectionOnly() {
    String kubeconfig = TWO_CONTEXTS.formatted("current-context: west");
    String fingerprint = valid(secret(kubeconfig)).fingerprint();

    Secret sameAsStringData =
        new SecretBuilder(secret("eu-west", Map.of()))
            .addToStringData("kubeconfig", kubeconfig)
            .build();
    assertEquals(fingerprint, valid(sameAsStringData).fingerprint());
    Secret sameContextNamed =
        secret("eu-west", Map.of("kubeconfig", kubeconfig, "context", "west"));
    assertEquals(fingerprint, valid(sameContextNamed).fingerprint());

    Secret otherContext = secret("eu-west", Map.of("kubeconfig", kubeconfig, "context", "east"));
    Secret otherNamespace =
        secret("eu-west", Map.of("kubeconfig", kubeconfig, "namespace", "raters"));
    Secret otherKubeconfig = secret(kubeconfig + "\n");
    for (Secret changed : List.of(otherContext, otherNamespace, otherKubeconfig)) {
      assertNotEquals(fingerprint, valid(changed).fingerprint());
    }
  }

  /**
   * Every way fabric8 has to configure a client from the process it runs in, set for the hub: none
   * may reach a region's Config, not even when fabric8 refreshes it after a 401.
   */
  @Test
  void nothingComesFromTheOperatorsOwnEnvironment(@TempDir Path home) throws Exception {
    Path hubKubeconfig = home.resolve("config");
    Files.writeString(
        hubKubeconfig,
        single("token: hub-file-token").replace("https://member.example:6443", "https://hub"));
    Map<String, String> hub =
        Map.of(
            Config.KUBERNETES_KUBECONFIG_FILE, hubKubeconfig.toString(),
            Config.KUBERNETES_OAUTH_TOKEN_SYSTEM_PROPERTY, "hub-token",
            Config.KUBERNETES_AUTH_BASIC_USERNAME_SYSTEM_PROPERTY, "hub-user",
            Config.KUBERNETES_AUTH_BASIC_PASSWORD_SYSTEM_PROPERTY, "hub-password",
            Config.KUBERNETES_MASTER_SYSTEM_PROPERTY, "https://hub.example",
            Config.KUBERNETES_NAMESPACE_SYSTEM_PROPERTY, "hub-namespace",
            Config.KUBERNETES_CLIENT_CERTIFICATE_DATA_SYSTEM_PROPERTY, "SFVCLUNFUlQ=",
            Config.KUBERNETES_CLIENT_KEY_DATA_SYSTEM_PROPERTY, "SFVCLUtFWQ==");
    String noCredentials =
        """
        clusters:
        - name: member
          cluster:
            server: https://member.example
        contexts:
        - name: member
          context:
            cluster: member
        """;
    Map<String, String> before = new HashMap<>();
    hub.keySet().forEach(key -> before.put(key, System.getProperty(key)));
    try {
      hub.forEach(System::setProperty);
      assertEquals("hub-token", Config.autoConfigure(null).getAutoOAuthToken(), "hub is set up");

      Config config = valid(secret(noCredentials)).config();

      for (Config seen : List.of(config, config.refresh())) {
        assertEquals("https://member.example/", seen.getMasterUrl());
        assertEquals(DEFAULT_NAMESPACE, seen.getNamespace());
        assertNull(seen.getOauthToken());
        assertNull(seen.getAutoOAuthToken());
        assertNull(seen.getOauthTokenProvider());
        assertNull(seen.getUsername());
        assertNull(seen.getPassword());
        assertNull(seen.getClientCertData());
        assertNull(seen.getClientKeyData());
        assertNull(seen.getClientCertFile());
        assertNull(seen.getClientKeyFile());
        assertNull(seen.getFile());
        assertNotEquals(Boolean.TRUE, seen.getAutoConfigure());
      }
      assertSame(config, config.refresh());
    } finally {
      before.forEach(
          (key, value) -> {
            if (value == null) {
              System.clearProperty(key);
            } else {
              System.setProperty(key, value);
            }
          });
    }
  }
}
