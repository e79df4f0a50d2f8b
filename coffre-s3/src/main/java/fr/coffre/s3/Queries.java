package fr.coffre.s3;

import java.util.LinkedHashMap;
import java.util.Map;

/** Query strings as S3 reads them. */
final class Queries {
  private Queries() {}

  /** Decodes a query string; a name without '=' maps to the empty string; the first value wins. */
  static Map<String, String> decode(String rawQuery) {
    Map<String, String> query = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return query;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      query.putIfAbsent(Percent.decode(name, true), Percent.decode(value, true));
    }
    return query;
  }
}
