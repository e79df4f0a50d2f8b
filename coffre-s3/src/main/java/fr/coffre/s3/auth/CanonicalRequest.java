package fr.coffre.s3.auth;

import fr.coffre.s3.Percent;
import fr.coffre.s3.RawRequest;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The canonical request of SigV4 for S3: method, URI (each path segment decoded once and
 * re-encoded the AWS way, never normalised), sorted query, signed headers, payload hash. Decoding
 * then re-encoding makes the result the same whatever escaping style the client used on the wire.
 */
final class CanonicalRequest {
  private CanonicalRequest() {}

  static String build(RawRequest r, List<String> signedHeaders, String payloadHash, boolean presigned) {
    StringBuilder b = new StringBuilder(512);
    b.append(r.method()).append('\n');
    b.append(SigV4.uriEncode(Percent.decode(r.rawPath() == null ? "/" : r.rawPath(), false), true)).append('\n');
    b.append(query(r.rawQuery(), presigned)).append('\n');
    for (String h : signedHeaders) {
      List<String> values = r.headers().get(h);
      if (values == null) {
        throw new S3Exception(S3Error.ACCESS_DENIED, "The header " + h + " is signed but absent");
      }
      List<String> trimmed = new ArrayList<>(values.size());
      for (String v : values) {
        trimmed.add(v.strip().replaceAll("\\s+", " "));
      }
      b.append(h).append(':').append(String.join(",", trimmed)).append('\n');
    }
    b.append('\n').append(String.join(";", signedHeaders)).append('\n');
    b.append(payloadHash);
    return b.toString();
  }

  private static String query(String raw, boolean presigned) {
    if (raw == null || raw.isEmpty()) {
      return "";
    }
    List<Map.Entry<String, String>> pairs = new ArrayList<>();
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = Percent.decode(eq < 0 ? pair : pair.substring(0, eq), true);
      if (presigned && name.equals("X-Amz-Signature")) {
        continue;
      }
      String value = eq < 0 ? "" : Percent.decode(pair.substring(eq + 1), true);
      pairs.add(Map.entry(SigV4.uriEncode(name, false), SigV4.uriEncode(value, false)));
    }
    pairs.sort(Map.Entry.<String, String>comparingByKey().thenComparing(Map.Entry.comparingByValue()));
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, String> e : pairs) {
      b.append(b.isEmpty() ? "" : "&").append(e.getKey()).append('=').append(e.getValue());
    }
    return b.toString();
  }
}
