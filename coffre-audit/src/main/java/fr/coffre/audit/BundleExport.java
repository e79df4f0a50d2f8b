package fr.coffre.audit;

import com.fasterxml.jackson.databind.JsonNode;
import fr.coffre.audit.LineReader.Line;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a cluster export (docs/audit-format.md, "Cluster exports"): this node's export of a chain
 * and every peer's, each framed by a part line, closed by a line signed with this node's key that
 * lists every part (its final checkpoint and key, or why it is missing).
 *
 * <p><b>Why parts are spooled.</b> A peer may die in the middle of its answer. Each part is first
 * written to a private file and checked to end with its final checkpoint; only a complete part goes
 * into the bundle, and a peer that could not give one is listed as missing with the reason, so an
 * export is never silently partial: its closing line says {@code "complete":false} and the verifier
 * reports it. Files are deleted once the bundle is written (and at the trail's next open if the
 * process died meanwhile).
 */
final class BundleExport {
  private static final Logger LOG = LoggerFactory.getLogger(BundleExport.class);
  static final String SPOOL_PREFIX = ".bundle-";
  static final String SPOOL_SUFFIX = ".part";

  /** Exports {@code chain} of this node alone into {@code out}. */
  @FunctionalInterface
  interface LocalExport {
    void export(String chain, OutputStream out) throws IOException;
  }

  private BundleExport() {}

  static void write(
      String chain,
      String localNode,
      LocalExport local,
      List<AuditPeer> peers,
      Signer signer,
      Instant now,
      Path spool,
      OutputStream out)
      throws IOException {
    List<String> nodes = new ArrayList<>();
    nodes.add(localNode);
    peers.forEach(p -> nodes.add(p.node()));
    List<Path> files = new ArrayList<>();
    List<BundlePart> parts = new ArrayList<>();
    try {
      Path own = spoolFile(spool, files);
      try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(own))) {
        local.export(chain, o);
      }
      BundlePart mine = summarize(localNode, chain, own);
      if (mine.missing() != null) {
        throw new IOException("this node's own export of " + chain + " is not whole: " + mine);
      }
      parts.add(mine);
      for (AuditPeer peer : peers) {
        Path f = spoolFile(spool, files);
        BundlePart part;
        try {
          try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(f))) {
            peer.export(chain, o);
          }
          part = summarize(peer.node(), chain, f);
        } catch (IOException e) {
          part = BundlePart.missing(peer.node(), "unreachable: " + oneLine(e.getMessage()));
        }
        if (part.missing() != null) {
          LOG.warn(
              "audit export of chain {}: node {} missing from the bundle ({})",
              chain,
              peer.node(),
              part.missing());
        }
        parts.add(part);
      }
      out.write(EventLines.bundleHeader(chain, now, localNode, nodes));
      out.write('\n');
      for (int i = 0; i < parts.size(); i++) {
        BundlePart p = parts.get(i);
        out.write(EventLines.partLine(p.node(), p.missing()));
        out.write('\n');
        if (p.missing() == null) {
          Files.copy(files.get(i), out);
        }
      }
      out.write(EventLines.bundleEnd(chain, now, localNode, parts, signer));
      out.write('\n');
      out.flush();
    } finally {
      for (Path f : files) {
        Files.deleteIfExists(f);
      }
    }
  }

  /** Deletes the spool files a process that died while exporting left in {@code dir}. */
  static void removeLeftovers(Path dir) throws IOException {
    try (DirectoryStream<Path> s =
        Files.newDirectoryStream(dir, SPOOL_PREFIX + "*" + SPOOL_SUFFIX)) {
      for (Path p : s) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static Path spoolFile(Path spool, List<Path> files) throws IOException {
    Path f = Files.createTempFile(spool, SPOOL_PREFIX, SPOOL_SUFFIX);
    files.add(f);
    return f;
  }

  /**
   * What a part holds, read from its first line (the export header: the key) and its last (the
   * final checkpoint: seq and hash); missing, with the reason, when it is not a whole export of
   * {@code chain}. The full verification is the verifier's: this only keeps a cut answer out.
   */
  static BundlePart summarize(String node, String chain, Path file) throws IOException {
    @Nullable Line first = null;
    @Nullable Line last = null;
    try (LineReader lines = new LineReader(List.of(file))) {
      for (Line l = lines.next(); l != null; l = lines.next()) {
        if (first == null) {
          first = l;
        }
        last = l;
      }
    }
    if (first == null || last == null) {
      return BundlePart.missing(node, "answered an empty export");
    }
    if (!last.terminated()) {
      return BundlePart.missing(node, "its export was cut (no final newline)");
    }
    JsonNode header = json(first);
    JsonNode end = json(last);
    if (header == null
        || !"export".equals(header.path("type").asText())
        || !chain.equals(header.path("chain").asText())
        || !header.path("publicKey").isTextual()) {
      return BundlePart.missing(node, "answered something that is not an export of " + chain);
    }
    if (end == null
        || !"checkpoint".equals(end.path("type").asText())
        || !end.path("final").asBoolean(false)
        || !chain.equals(end.path("chain").asText())
        || !end.path("seq").canConvertToLong()
        || !end.path("hash").isTextual()) {
      return BundlePart.missing(node, "its export does not end with its final checkpoint");
    }
    return BundlePart.present(
        node, end.get("seq").asLong(), end.get("hash").asText(), header.get("publicKey").asText());
  }

  private static @Nullable JsonNode json(Line l) {
    try {
      return LineSyntax.JSON.readTree(l.bytes());
    } catch (IOException e) {
      return null;
    }
  }

  private static String oneLine(@Nullable String s) {
    return s == null ? "(no detail)" : s.replaceAll("[\\p{Cntrl}]+", " ").strip();
  }
}
