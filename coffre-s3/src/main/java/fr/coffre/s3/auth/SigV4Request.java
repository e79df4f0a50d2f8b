package fr.coffre.s3.auth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A request as signature checks need it: exactly as it arrived, before any decoding. The HTTP layer
 * fills it; {@link #of} builds one from plain values.
 */
public interface SigV4Request {
  String method();

  /** The path as received, still percent-encoded, without the query; never empty for HTTP. */
  String rawPath();

  /** The query string as received (without '?'), or null when there is none. */
  String rawQuery();

  /** Every value of a header, in arrival order; empty when absent. Names are case-insensitive. */
  List<String> headers(String name);

  /** The names of all headers present, lowercase. */
  Set<String> headerNames();

  /** The first value of a header, or null. */
  default String header(String name) {
    List<String> values = headers(name);
    return values.isEmpty() ? null : values.get(0);
  }

  /** The Host header (for HTTP/2, the HTTP layer puts the :authority here). */
  default String host() {
    return header("host");
  }

  /**
   * A request from plain values; headers are copied, their names matched case-insensitively.
   *
   * @param rawQuery the query as received, or null
   */
  static SigV4Request of(
      String method, String rawPath, String rawQuery, Map<String, List<String>> headers) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(rawPath, "rawPath");
    Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    Set<String> names = new TreeSet<>();
    headers.forEach(
        (name, values) -> {
          if (!values.isEmpty()) {
            copy.computeIfAbsent(name, k -> new ArrayList<>()).addAll(values);
            names.add(name.toLowerCase(Locale.ROOT));
          }
        });
    copy.replaceAll((k, v) -> List.copyOf(v));
    Map<String, List<String>> frozen = Collections.unmodifiableMap(copy);
    Set<String> frozenNames = Collections.unmodifiableSet(names);
    return new SigV4Request() {
      @Override
      public String method() {
        return method;
      }

      @Override
      public String rawPath() {
        return rawPath;
      }

      @Override
      public String rawQuery() {
        return rawQuery;
      }

      @Override
      public List<String> headers(String name) {
        return frozen.getOrDefault(name, List.of());
      }

      @Override
      public Set<String> headerNames() {
        return frozenNames;
      }

      @Override
      public String toString() {
        // Never the headers: Authorization is in them.
        return method + " " + rawPath + (rawQuery == null ? "" : "?…");
      }
    };
  }
}
