package dev.clawrate.rater.k6;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.clawrate.rater.testing.ExternalTool;
import dev.clawrate.rater.testing.RunningRater;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The k6 scripts' own request building and answer checks ({@code k6/lib}), run under node with a
 * stand-in for k6's {@code check}, against real raters: every check passes on a rating, a fallback
 * answer passes as well-formed but not as the tenant's own model's, and errors and a malformed
 * answer fail the checks they should. No k6 binary is needed: what k6 adds (scheduling, thresholds)
 * is its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class K6ChecksRunTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String OWN_MODEL = "answered by the tenant's own model";

  @TempDir static Path configDir;
  @TempDir static Path work;
  private ContractRaters raters;
  private Path applicant;
  private HttpServer malformed;

  @BeforeAll
  void start() throws IOException {
    raters = ContractRaters.start(configDir);
    copyTree(K6ScriptsTypeCheckTest.scriptsDir().resolve("lib"), work.resolve("lib"));
    Files.writeString(work.resolve("package.json"), "{\"type\": \"module\"}\n");
    Path k6 = Files.createDirectories(work.resolve("node_modules/k6"));
    Files.writeString(
        k6.resolve("package.json"),
        "{\"name\": \"k6\", \"type\": \"module\", \"exports\": \"./index.js\"}\n");
    Files.write(k6.resolve("index.js"), resource("k6-module.js"));
    Files.write(work.resolve("drive.mjs"), resource("drive.mjs"));
    applicant =
        ExternalTool.repositoryRoot().resolve("examples/requests/applicant.json").toAbsolutePath();
    malformed = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    malformed.createContext(
        "/",
        exchange -> {
          byte[] body =
              ("{\"tenant\":\"acme-bank\",\"model\":\"m\",\"digest\":\"sha256:abc\","
                      + "\"track\":\"blue\",\"rating\":\"high\",\"decision\":\"maybe\",\"result\":{}}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    malformed.start();
  }

  @AfterAll
  void stop() {
    if (malformed != null) {
      malformed.stop(0);
    }
    if (raters != null) {
      raters.close();
    }
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = K6ChecksRunTest.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("test resource " + name + " is missing");
      }
      return in.readAllBytes();
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
  }

  private JsonNode run(String baseUrl, String tenant, String apiKey) {
    List<String> args =
        new ArrayList<>(List.of("drive.mjs", baseUrl, tenant, applicant.toString()));
    if (apiKey != null) {
      args.add(apiKey);
    }
    ExternalTool.Result result =
        ExternalTool.find("node").succeed(work, Duration.ofMinutes(1), args.toArray(String[]::new));
    try {
      return JSON.readTree(result.stdout());
    } catch (IOException e) {
      throw new UncheckedIOException("drive.mjs printed no JSON: " + result.stdout(), e);
    }
  }

  private static String url(RunningRater rater) {
    return "http://127.0.0.1:" + rater.rater().port();
  }

  private static List<String> failed(JsonNode run) {
    List<String> names = new ArrayList<>();
    run.get("checks")
        .forEach(
            c -> {
              if (!c.get("ok").asBoolean()) {
                names.add(c.get("name").asText());
              }
            });
    return names;
  }

  @Test
  void theExampleTenantsRatingPassesEveryCheck() {
    JsonNode run = run(url(raters.example()), "acme-bank", null);

    assertEquals(List.of(), failed(run), run.toString());
    assertTrue(run.at("/verdict/ok").asBoolean());
    assertFalse(run.at("/verdict/fallback").asBoolean());
    assertEquals("approve", run.at("/verdict/decision").asText());
    assertTrue(run.at("/verdict/decisionKnown").asBoolean());
    assertEquals("stable", run.at("/verdict/track").asText());
    assertTrue(run.get("checks").size() >= 10, "every check ran: " + run);
  }

  @Test
  void theApiKeyIsSentWhereTheRaterReadsIt() {
    JsonNode withKey = run(url(raters.other()), ContractRaters.KEYED, ContractRaters.API_KEY);
    assertEquals(List.of(), failed(withKey), withKey.toString());

    JsonNode without = run(url(raters.other()), ContractRaters.KEYED, null);
    assertFalse(without.at("/verdict/ok").asBoolean());
    assertTrue(failed(without).contains("status is 200"), without.toString());
  }

  @Test
  void aFallbackAnswerIsWellFormedButNotTheTenantsOwn() {
    JsonNode run = run(url(raters.other()), ContractRaters.FALLING_BACK, null);

    assertEquals(List.of(OWN_MODEL), failed(run), run.toString());
    assertTrue(run.at("/verdict/ok").asBoolean());
    assertTrue(run.at("/verdict/fallback").asBoolean());
    assertEquals(ContractRaters.FIXED_DECISION, run.at("/verdict/decision").asText());
  }

  @Test
  void anUnknownTenantFailsTheChecksWithoutBeingAServerError() {
    JsonNode run = run(url(raters.example()), "no-such-tenant", null);

    assertFalse(run.at("/verdict/ok").asBoolean());
    assertFalse(run.at("/verdict/serverError").asBoolean());
    assertTrue(failed(run).contains("status is 200"), run.toString());
  }

  @Test
  void aMalformedRatingFailsTheChecksItBreaks() {
    JsonNode run = run("http://127.0.0.1:" + malformed.getAddress().getPort(), "acme-bank", null);

    assertFalse(run.at("/verdict/ok").asBoolean());
    assertFalse(run.at("/verdict/decisionKnown").asBoolean());
    assertEquals(
        List.of(
            "answer has every documented field",
            "decision is a documented value",
            "digest is a sha256",
            "track is stable or canary",
            "revision header is a number"),
        failed(run).stream().filter(name -> !name.equals(OWN_MODEL)).toList(),
        run.toString());
  }
}
