package dev.clawrate.operator.model;

import dev.clawrate.contract.engine.ModuleDigest;
import dev.clawrate.operator.api.ConfigMapKeyRef;
import dev.clawrate.operator.api.KubeNames;
import dev.clawrate.operator.api.ModuleSource;
import dev.clawrate.operator.egress.EgressRefusedException;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Gets a RatingModel's module bytes from its source: inline base64, a key of a ConfigMap in the
 * model's namespace, or an https URL pinned by sha256. Every path enforces the size a module
 * ConfigMap can hold and checks the sha256 when one is given.
 */
public final class ModuleFetcher {

  /**
   * A module is published as one ConfigMap, base64 in binaryData, and a ConfigMap holds at most 1
   * MiB: 760 KiB of module leaves room for base64 and metadata.
   */
  public static final int MAX_MODULE_BYTES = 760 * 1024;

  /** How long one download may take in all, redirects included. */
  public static final Duration DOWNLOAD_LIMIT = Duration.ofSeconds(30);

  private static final java.util.regex.Pattern WHITESPACE = java.util.regex.Pattern.compile("\\s+");
  private static final java.util.regex.Pattern SHA256_HEX =
      java.util.regex.Pattern.compile("[0-9a-fA-F]{64}");

  private final KubernetesClient client;
  private final OkHttpClient http;
  private final Duration limit;

  /**
   * @param http what downloads go through: the operator passes one its egress policy guards
   */
  public ModuleFetcher(KubernetesClient client, OkHttpClient http) {
    this(client, http, DOWNLOAD_LIMIT);
  }

  /**
   * @param limit how long one download may take in all, redirects included
   */
  public ModuleFetcher(KubernetesClient client, OkHttpClient http, Duration limit) {
    this.client = client;
    this.limit = limit;
    // Redirects are followed here, one hop at a time, so each is checked (ModuleRedirects).
    this.http = http.newBuilder().followRedirects(false).followSslRedirects(false).build();
  }

  /**
   * An HTTP client with the download's timeouts. It connects anywhere: the operator guards it with
   * its egress policy ({@code EgressClients.guarded}) before downloading a tenant's URL with it.
   */
  public static OkHttpClient defaultHttpClient() {
    return new OkHttpClient.Builder()
        .connectTimeout(Duration.ofSeconds(5))
        .readTimeout(Duration.ofSeconds(15))
        .callTimeout(DOWNLOAD_LIMIT)
        .build();
  }

  public byte[] fetch(String namespace, ModuleSource source) throws ModuleFetchException {
    byte[] bytes;
    int sources =
        (source.getInline() != null ? 1 : 0)
            + (source.getConfigMapKeyRef() != null ? 1 : 0)
            + (source.getUrl() != null ? 1 : 0);
    if (sources != 1) {
      throw new ModuleFetchException(
          "InvalidSource", "module must name exactly one of inline, configMapKeyRef or url");
    }
    if (source.getSha256() != null && !SHA256_HEX.matcher(source.getSha256()).matches()) {
      // Checked before use: it is quoted back when it does not match the module.
      throw new ModuleFetchException(
          "InvalidSource", "module.sha256 must be 64 hexadecimal digits");
    }
    if (source.getInline() != null) {
      bytes = decodeBase64("module.inline", source.getInline());
    } else if (source.getConfigMapKeyRef() != null) {
      bytes = fromConfigMap(namespace, source.getConfigMapKeyRef());
    } else {
      if (source.getSha256() == null) {
        throw new ModuleFetchException(
            "InvalidSource", "module.sha256 is required with module.url");
      }
      bytes = download(source.getUrl());
    }
    checkSize(bytes);
    if (source.getSha256() != null) {
      String expected = ModuleDigest.PREFIX + source.getSha256().toLowerCase(Locale.ROOT);
      String actual = ModuleDigest.of(bytes);
      if (!expected.equals(actual)) {
        throw new ModuleFetchException(
            "DigestMismatch",
            "module.sha256 is " + expected + " but the module bytes hash to " + actual);
      }
    }
    return bytes;
  }

  private byte[] fromConfigMap(String namespace, ConfigMapKeyRef ref) throws ModuleFetchException {
    // The name goes into the request's path as it is; see KubeNames.
    refuseUnless("the RatingModel's namespace", KubeNames.whyNotDnsLabel(namespace));
    refuseUnless("module.configMapKeyRef.name", KubeNames.whyNotDnsSubdomain(ref.getName()));
    refuseUnless("module.configMapKeyRef.key", KubeNames.whyNotConfigMapKey(ref.getKey()));
    ConfigMap configMap = client.configMaps().inNamespace(namespace).withName(ref.getName()).get();
    if (configMap == null) {
      throw new ModuleFetchException(
          "ConfigMapNotFound", "ConfigMap " + namespace + "/" + ref.getName() + " not found");
    }
    String where = "ConfigMap " + namespace + "/" + ref.getName() + " key " + ref.getKey();
    if (configMap.getBinaryData() != null && configMap.getBinaryData().containsKey(ref.getKey())) {
      return decodeBase64(where, configMap.getBinaryData().get(ref.getKey()));
    }
    if (configMap.getData() != null && configMap.getData().containsKey(ref.getKey())) {
      // A Wasm binary cannot live in data as-is; data may hold it base64-encoded.
      return decodeBase64(where, configMap.getData().get(ref.getKey()).trim());
    }
    throw new ModuleFetchException("ConfigMapKeyNotFound", where + " not found");
  }

  private static void refuseUnless(String what, String whyNot) throws ModuleFetchException {
    if (whyNot != null) {
      throw new ModuleFetchException("InvalidSource", what + " " + whyNot);
    }
  }

  private byte[] download(String url) throws ModuleFetchException {
    if (!url.startsWith("https://")) {
      throw new ModuleFetchException("InvalidSource", "module.url must be an https URL");
    }
    HttpUrl target = HttpUrl.parse(url);
    if (target == null) {
      throw new ModuleFetchException("InvalidSource", "module.url is not a valid URL");
    }
    long deadline = System.nanoTime() + limit.toNanos();
    try {
      for (int followed = 0; ; followed++) {
        Request request =
            new Request.Builder().url(target).header("Accept", "application/wasm").build();
        Call call = http.newCall(request);
        call.timeout().timeout(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        try (Response response = call.execute()) {
          if (ModuleRedirects.isRedirect(response.code())) {
            target =
                ModuleRedirects.next(
                    target, response.code(), response.header("Location"), followed);
            continue;
          }
          return body(response);
        }
      }
    } catch (EgressRefusedException e) {
      throw new ModuleFetchException("AddressRefused", "module.url is " + e.getMessage(), e);
    } catch (InterruptedIOException e) {
      throw new ModuleFetchException(
          "DownloadTimedOut",
          "downloading the module timed out (it may take "
              + limit.toSeconds()
              + " s in all, redirects included)",
          e);
    } catch (IOException e) {
      // The URL may carry a credential in its query, and the exception's message may quote what the
      // server sent: say what failed, not where or what came back.
      throw new ModuleFetchException(
          "DownloadFailed", "downloading the module failed: " + e.getClass().getSimpleName(), e);
    }
  }

  /** The module in a final answer; never quotes the answer's reason phrase, headers or body. */
  private static byte[] body(Response response) throws ModuleFetchException, IOException {
    if (!response.isSuccessful()) {
      throw new ModuleFetchException(
          "DownloadFailed", "downloading the module answered HTTP " + response.code());
    }
    ResponseBody body = response.body();
    if (body == null) {
      throw new ModuleFetchException("DownloadFailed", "downloading the module gave no body");
    }
    if (body.contentLength() > MAX_MODULE_BYTES) {
      throw tooLarge(body.contentLength());
    }
    try (InputStream in = body.byteStream()) {
      byte[] bytes = in.readNBytes(MAX_MODULE_BYTES + 1);
      checkSize(bytes);
      return bytes;
    }
  }

  private static byte[] decodeBase64(String where, String base64) throws ModuleFetchException {
    if (base64.length() > (MAX_MODULE_BYTES / 3 + 2) * 4 + 1024) {
      throw tooLarge((long) base64.length() * 3 / 4);
    }
    try {
      // Line breaks (as `base64` writes them) are fine; any other stray character is an error,
      // which the lenient MIME decoder would silently skip.
      return Base64.getDecoder().decode(WHITESPACE.matcher(base64).replaceAll(""));
    } catch (IllegalArgumentException e) {
      throw new ModuleFetchException("InvalidBase64", where + " is not valid base64");
    }
  }

  private static void checkSize(byte[] bytes) throws ModuleFetchException {
    if (bytes.length > MAX_MODULE_BYTES) {
      throw tooLarge(bytes.length);
    }
    if (bytes.length == 0) {
      throw new ModuleFetchException("EmptyModule", "the module is empty");
    }
  }

  private static ModuleFetchException tooLarge(long size) {
    return new ModuleFetchException(
        "ModuleTooLarge",
        "the module is at least "
            + size
            + " bytes; one ConfigMap carries a module of at most "
            + MAX_MODULE_BYTES
            + " bytes");
  }
}
