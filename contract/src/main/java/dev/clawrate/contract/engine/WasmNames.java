package dev.clawrate.contract.engine;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Import and export names as a rejection reason may show them. A name in a module is any UTF-8 up
 * to the module's size; only plain identifiers are shown, so a reason can never carry a module's
 * bytes.
 */
final class WasmNames {

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$.-]{0,63}");
  static final String NOT_SHOWN = "<a name that is not an identifier>";
  static final int MAX_LISTED = 10;

  private WasmNames() {}

  static String shown(String name) {
    return IDENTIFIER.matcher(name).matches() ? name : NOT_SHOWN;
  }

  /** Sorted, each shown as above, at most {@link #MAX_LISTED} of them. */
  static String shown(List<String> names) {
    List<String> sorted = names.stream().map(WasmNames::shown).sorted().toList();
    if (sorted.size() <= MAX_LISTED) {
      return sorted.toString();
    }
    return sorted.subList(0, MAX_LISTED) + " and " + (sorted.size() - MAX_LISTED) + " more";
  }
}
