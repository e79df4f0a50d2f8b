package fr.coffre.audit;

import com.fasterxml.jackson.databind.JsonNode;
import fr.coffre.audit.LineReader.Line;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One verification of a cluster export (docs/audit-format.md, "Cluster exports"): each node's part
 * is verified as an export of its own ({@link Verification}) under that node's key, then the
 * closing line, signed by the exporting node, must list exactly the parts the file holds, in order,
 * with their final checkpoints and keys: a part dropped, added, replaced by an older export, or a
 * missing part dressed up as present, breaks either that list or its signature.
 */
final class BundleVerification {
  private static final Set<String> HEADER =
      Set.of("type", "format", "chain", "exportedAt", "node", "nodes");
  private static final Set<String> END =
      Set.of("type", "chain", "exportedAt", "node", "complete", "parts", "key", "signature");

  private final LineReader lines;
  private final List<SigningKey> trusted;
  private final List<String> warnings = new ArrayList<>();
  private final List<BundleReport.Part> parts = new ArrayList<>();
  private final List<BundlePart> seen = new ArrayList<>();
  private @Nullable String chain;
  private @Nullable String node;
  private boolean declaredComplete;

  BundleVerification(LineReader lines, List<SigningKey> trusted) {
    this.lines = lines;
    this.trusted = List.copyOf(trusted);
  }

  BundleReport verify() throws IOException {
    String problem = run();
    List<String> failed =
        parts.stream()
            .filter(p -> p.report() != null && !p.report().ok())
            .map(BundleReport.Part::node)
            .toList();
    if (!failed.isEmpty()) {
      String names = String.join(", ", failed);
      String partsFailed =
          (failed.size() == 1 ? "the part of node " : "the parts of nodes ")
              + names
              + " failed verification (tampered or damaged)";
      problem = problem == null ? partsFailed : partsFailed + "; " + problem;
    }
    boolean complete =
        problem == null && declaredComplete && seen.stream().allMatch(p -> p.missing() == null);
    if (problem == null && trusted.isEmpty()) {
      warnings.add(
          "no trusted key was given: each part was checked against the key it carries; compare"
              + " each node's fingerprint with its published key (coffre admin signing-key on that"
              + " node)");
    }
    return new BundleReport(problem == null, complete, chain, node, parts, problem, warnings);
  }

  private @Nullable String run() throws IOException {
    Line first = lines.next();
    if (first == null) {
      return "the file is empty";
    }
    JsonNode h = object(first, HEADER, Set.of());
    if (h == null
        || !"bundle".equals(h.get("type").asText())
        || !AuditLines.BUNDLE_FORMAT.equals(h.get("format").asText())
        || !h.get("nodes").isArray()) {
      return "line 1 is not a bundle header of format " + AuditLines.BUNDLE_FORMAT;
    }
    chain = h.get("chain").asText();
    node = h.get("node").asText();
    String exportedAt = h.get("exportedAt").asText();
    List<String> nodes = new ArrayList<>();
    h.get("nodes").forEach(n -> nodes.add(n.asText()));

    Line l = lines.next();
    while (l != null && PartStream.framing(l) && !PartStream.closing(l)) {
      JsonNode p = object(l, Set.of("type", "node"), Set.of("missing"));
      if (p == null || !"part".equals(p.get("type").asText())) {
        return "line " + l.number() + " is not a well-formed part line";
      }
      String partNode = p.get("node").asText();
      if (p.has("missing")) {
        String why = p.get("missing").asText();
        parts.add(new BundleReport.Part(partNode, l.number(), null, why));
        seen.add(BundlePart.missing(partNode, why));
        l = lines.next();
        if (l != null && !PartStream.framing(l)) {
          return "line "
              + l.number()
              + " follows the part line of node "
              + partNode
              + ", which says the part is missing: nothing may";
        }
        continue;
      }
      PartStream part = new PartStream(lines);
      VerifyReport r;
      try (LineReader partLines = new LineReader(part)) {
        r = new Verification(partLines, keysFor(part.first()), null, null, null).verify();
      }
      part.drain();
      parts.add(new BundleReport.Part(partNode, l.number(), r, null));
      if (r.ok() && !Objects.equals(r.chain(), chain)) {
        return "the part of node " + partNode + " is an export of chain " + r.chain();
      }
      seen.add(summary(partNode, part));
      l = part.stopper();
    }
    if (l == null) {
      return "the file ends without the bundle's signed closing line (bundle-end): it was cut";
    }
    if (!PartStream.closing(l)) {
      return "line " + l.number() + " is neither a part line nor the bundle's closing line";
    }
    String end = closing(l, exportedAt, nodes);
    if (end != null) {
      return end;
    }
    Line extra = lines.next();
    if (extra != null) {
      return "line " + extra.number() + " comes after the bundle's closing line: nothing may";
    }
    return null;
  }

  /** Checks the closing line against the header and the parts read; null when all agree. */
  private @Nullable String closing(Line l, String exportedAt, List<String> nodes) {
    String where = "the closing line (line " + l.number() + ")";
    JsonNode e = object(l, END, Set.of());
    if (e == null
        || !"bundle-end".equals(e.get("type").asText())
        || !e.get("complete").isBoolean()
        || !e.get("parts").isArray()) {
      return where + " is not well formed";
    }
    if (!e.get("chain").asText().equals(chain)
        || !e.get("exportedAt").asText().equals(exportedAt)
        || !e.get("node").asText().equals(node)) {
      return where + " names another chain, time or node than the header";
    }
    declaredComplete = e.get("complete").asBoolean();
    List<BundlePart> listed = new ArrayList<>();
    for (Iterator<JsonNode> it = e.get("parts").elements(); it.hasNext(); ) {
      JsonNode p = it.next();
      if (!p.path("node").isTextual()) {
        return where + " lists a part without a node";
      }
      if (p.has("missing")) {
        listed.add(BundlePart.missing(p.get("node").asText(), p.get("missing").asText()));
      } else if (p.path("seq").canConvertToLong()
          && p.path("hash").isTextual()
          && p.path("key").isTextual()) {
        listed.add(
            BundlePart.present(
                p.get("node").asText(),
                p.get("seq").asLong(),
                p.get("hash").asText(),
                p.get("key").asText()));
      } else {
        return where + " lists a part of node " + p.get("node").asText() + " not well formed";
      }
    }
    byte[] message =
        AuditLines.bundleMessage(
            Objects.requireNonNull(chain),
            exportedAt,
            Objects.requireNonNull(node),
            declaredComplete,
            listed);
    SigningKey key = SigningKey.fromLine(e.get("key").asText());
    byte[] signature = SigningKey.canonicalBase64(e.get("signature").asText());
    if (key == null || signature == null) {
      return where + " has no valid key or signature";
    }
    BundlePart own = seen.stream().filter(p -> p.node().equals(node)).findFirst().orElse(null);
    if (own == null || own.key() == null || !own.key().equals(key.base64())) {
      return where
          + " is not signed with the key of the exporting node "
          + node
          + " (its own part's key): it was replaced";
    }
    if (!key.verifies(ed25519(), message, signature)) {
      return where + " has a signature that does not verify: the bundle was altered";
    }
    if (!listed.equals(seen)) {
      return where
          + " lists the parts "
          + describe(listed)
          + " but the file holds "
          + describe(seen)
          + ": a part was dropped, added or replaced";
    }
    List<String> held = seen.stream().map(BundlePart::node).toList();
    if (!held.equals(nodes)) {
      return "the header lists the nodes " + nodes + " but the file holds parts of " + held;
    }
    if (declaredComplete != seen.stream().allMatch(p -> p.missing() == null)) {
      return where + " says complete=" + declaredComplete + " but that is not what its parts say";
    }
    return null;
  }

  private static String describe(List<BundlePart> parts) {
    List<String> s = new ArrayList<>();
    for (BundlePart p : parts) {
      s.add(p.missing() != null ? p.node() + " (missing)" : p.node() + " (#" + p.seq() + ")");
    }
    return s.toString();
  }

  /**
   * The keys a part is verified with: every trusted key (a node's retired keys too, after a signing
   * key rotation), the one its header names last, so that it is the one expected; none when none
   * was given (the part's own key is used, with a warning).
   */
  private List<SigningKey> keysFor(@Nullable Line header) {
    SigningKey named = keyFor(header);
    if (named == null) {
      return List.of();
    }
    List<SigningKey> keys = new ArrayList<>(trusted);
    keys.remove(named);
    keys.add(named);
    return keys;
  }

  /** The trusted key that signed the part starting at {@code header}, or the first one. */
  private @Nullable SigningKey keyFor(@Nullable Line header) {
    if (trusted.isEmpty()) {
      return null;
    }
    if (header != null) {
      try {
        JsonNode h = LineSyntax.JSON.readTree(header.bytes());
        for (SigningKey k : trusted) {
          if (k.base64().equals(h.path("publicKey").asText())) {
            return k;
          }
        }
      } catch (IOException e) {
        // Not JSON: the part's verification reports it.
      }
    }
    return trusted.get(0);
  }

  /** The part as its first and last lines describe it, to compare with the closing line. */
  private static BundlePart summary(String node, PartStream part) {
    try {
      Line first = part.first();
      Line last = part.last();
      if (first != null && last != null) {
        JsonNode h = LineSyntax.JSON.readTree(first.bytes());
        JsonNode c = LineSyntax.JSON.readTree(last.bytes());
        return BundlePart.present(
            node, c.path("seq").asLong(), c.path("hash").asText(), h.path("publicKey").asText());
      }
    } catch (IOException e) {
      // Falls through: a part that does not parse matches no listed part.
    }
    return BundlePart.present(node, -1, "", "");
  }

  /** The line as a JSON object with exactly these fields (strings unless told), or null. */
  private static @Nullable JsonNode object(Line l, Set<String> required, Set<String> optional) {
    if (!l.terminated()) {
      return null;
    }
    JsonNode n;
    try {
      n = LineSyntax.JSON.readTree(new String(l.bytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      return null;
    }
    if (n == null || !n.isObject()) {
      return null;
    }
    for (String f : required) {
      if (!n.has(f)) {
        return null;
      }
    }
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!required.contains(f) && !optional.contains(f)) {
        return null;
      }
      JsonNode v = n.get(f);
      if (!v.isTextual() && !f.equals("nodes") && !f.equals("parts") && !f.equals("complete")) {
        return null;
      }
    }
    return n;
  }

  private static Signature ed25519() {
    try {
      return Signature.getInstance("Ed25519");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no Ed25519", e);
    }
  }
}
