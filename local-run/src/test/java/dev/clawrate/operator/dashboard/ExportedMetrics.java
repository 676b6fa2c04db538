package dev.clawrate.operator.dashboard;

import java.util.Set;
import java.util.TreeSet;

/**
 * The series names a Prometheus text exposition offers: each sample's name, and for each histogram
 * or summary its {@code _bucket}, {@code _count} and {@code _sum} (present even before a first
 * observation in some clients).
 */
final class ExportedMetrics {

  private ExportedMetrics() {}

  static Set<String> of(String exposition) {
    Set<String> names = new TreeSet<>();
    for (String line : exposition.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        String[] parts = line.substring(7).trim().split("\\s+");
        if (parts.length == 2 && (parts[1].equals("histogram") || parts[1].equals("summary"))) {
          names.add(parts[0] + "_bucket");
          names.add(parts[0] + "_count");
          names.add(parts[0] + "_sum");
        }
      } else if (!line.isBlank() && !line.startsWith("#")) {
        int end = 0;
        while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
          end++;
        }
        names.add(line.substring(0, end));
      }
    }
    return names;
  }
}
