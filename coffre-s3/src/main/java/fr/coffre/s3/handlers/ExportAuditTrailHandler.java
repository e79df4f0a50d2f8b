package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.service.AuditService;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code GET /?coffre-audit}: the caller's tenant's audit chain as an export
 * (docs/audit-format.md), spooled to a private file so that its length is known before the first
 * byte is sent; the file is deleted when the response closes it.
 */
public final class ExportAuditTrailHandler implements S3Action {
  private final AuditService audit;
  private final Path spool;

  public ExportAuditTrailHandler(AuditService audit, Path spool) {
    this.audit = audit;
    this.spool = spool;
  }

  @Override
  public S3Response handle(S3Request request) throws Exception {
    Files.createDirectories(spool);
    Path file = Files.createTempFile(spool, "audit-export-", ".jsonl");
    try {
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
        audit.export(request.principal().tenant(), out);
      }
      long length = Files.size(file);
      InputStream in = Files.newInputStream(file, StandardOpenOption.DELETE_ON_CLOSE);
      return S3Response.ok()
          .header("Content-Type", "application/x-ndjson")
          .header(
              "Content-Disposition",
              "attachment; filename=\"coffre-audit-" + request.principal().tenant() + ".jsonl\"")
          .content(in, length);
    } catch (Exception e) {
      Files.deleteIfExists(file);
      throw e;
    }
  }
}
