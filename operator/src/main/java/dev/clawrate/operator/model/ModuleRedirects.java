package dev.clawrate.operator.model;

import java.util.Set;
import okhttp3.HttpUrl;

/**
 * Which redirects a module download follows: only within the URL's own scheme, host and port, and
 * at most {@link #MAX_REDIRECTS} of them. A redirect elsewhere would let whoever answers the URL
 * point the operator at any host, one the tenant could not name itself. Pure.
 */
final class ModuleRedirects {

  static final int MAX_REDIRECTS = 3;

  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

  private ModuleRedirects() {}

  static boolean isRedirect(int code) {
    return REDIRECTS.contains(code);
  }

  /**
   * Where to go next after a redirect from {@code from}.
   *
   * @param location the Location header as the server sent it, or null
   * @param followed how many redirects were followed before this one
   * @throws ModuleFetchException saying why not, in words that quote nothing the server sent
   */
  static HttpUrl next(HttpUrl from, int code, String location, int followed)
      throws ModuleFetchException {
    if (followed >= MAX_REDIRECTS) {
      throw new ModuleFetchException(
          "RedirectRefused",
          "downloading the module was redirected more than " + MAX_REDIRECTS + " times");
    }
    HttpUrl to = location == null ? null : from.resolve(location);
    if (to == null) {
      throw new ModuleFetchException(
          "DownloadFailed",
          "downloading the module answered HTTP " + code + " without a usable Location");
    }
    if (!to.scheme().equals(from.scheme())
        || !to.host().equals(from.host())
        || to.port() != from.port()) {
      throw new ModuleFetchException(
          "RedirectRefused",
          "downloading the module was redirected (HTTP "
              + code
              + ") to another host, scheme or port; only redirects within module.url's own host"
              + " are followed");
    }
    return to;
  }
}
