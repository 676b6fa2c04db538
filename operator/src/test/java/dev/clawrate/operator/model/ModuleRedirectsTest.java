package dev.clawrate.operator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModuleRedirectsTest {

  private static final HttpUrl FROM = HttpUrl.get("https://models.example.com/v3/scorer.wasm?t=1");

  @Test
  void aRedirectWithinTheSameHostIsFollowed() throws ModuleFetchException {
    assertEquals(
        HttpUrl.get("https://models.example.com/blobs/abc"),
        ModuleRedirects.next(FROM, 302, "/blobs/abc", 0));
    assertEquals(
        HttpUrl.get("https://models.example.com/v3/other.wasm"),
        ModuleRedirects.next(FROM, 307, "other.wasm", 2));
    assertEquals(
        HttpUrl.get("https://models.example.com/x"),
        ModuleRedirects.next(FROM, 301, "https://MODELS.example.com:443/x", 1));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://169.254.169.254/latest/meta-data/",
        "https://evil.example.net/scorer.wasm",
        "http://models.example.com/scorer.wasm",
        "https://models.example.com:8443/scorer.wasm",
        "//kubernetes.default.svc/api",
        "https://models.example.com.evil.example.net/x"
      })
  void aRedirectToAnotherHostSchemeOrPortIsRefusedWithoutQuotingIt(String location) {
    ModuleFetchException e =
        assertThrows(
            ModuleFetchException.class, () -> ModuleRedirects.next(FROM, 302, location, 0));
    assertEquals("RedirectRefused", e.reason());
    assertTrue(e.getMessage().contains("another host"), e.getMessage());
    assertFalse(e.getMessage().contains("example"), e.getMessage());
    assertFalse(e.getMessage().contains("169.254"), e.getMessage());
  }

  @Test
  void moreThanTheCapIsRefused() {
    ModuleFetchException e =
        assertThrows(
            ModuleFetchException.class,
            () -> ModuleRedirects.next(FROM, 302, "/again", ModuleRedirects.MAX_REDIRECTS));
    assertEquals("RedirectRefused", e.reason());
    assertTrue(e.getMessage().contains("more than 3 times"), e.getMessage());
  }

  @Test
  void aRedirectWithoutAUsableLocationFails() {
    for (String location : new String[] {null, "gopher://x/"}) {
      ModuleFetchException e =
          assertThrows(
              ModuleFetchException.class, () -> ModuleRedirects.next(FROM, 301, location, 0));
      assertEquals("DownloadFailed", e.reason());
      assertFalse(e.getMessage().contains("gopher"), e.getMessage());
    }
  }

  @Test
  void onlyRedirectCodesAreRedirects() {
    for (int code : new int[] {301, 302, 303, 307, 308}) {
      assertTrue(ModuleRedirects.isRedirect(code));
    }
    for (int code : new int[] {200, 300, 304, 305, 404}) {
      assertFalse(ModuleRedirects.isRedirect(code));
    }
  }
}
