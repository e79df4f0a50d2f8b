package fr.coffre.admin;

import fr.coffre.core.AuditUnavailableException;
import fr.coffre.core.IdentityException;
import fr.coffre.core.InvalidArgumentException;
import fr.coffre.service.AuditService;
import fr.coffre.web.WebError;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's audit routes, which stream (an export may be large) instead of answering one JSON
 * document, and the writer of every admin answer. Part of {@link AdminHandler}, the admin API's
 * Jetty adapter.
 */
final class AdminAuditRoute {
  private static final Logger LOG = LoggerFactory.getLogger(AdminAuditRoute.class);

  private final AdminApi api;
  private final AuditService audit;
  private final AdminAudit auditing;

  AdminAuditRoute(AdminApi api, AuditService audit, AdminAudit auditing) {
    this.api = api;
    this.audit = audit;
    this.auditing = auditing;
  }

  /**
   * {@code GET /audit}: the chains and their heads; {@code GET /audit/{chain}}: that chain's
   * export, streamed (it may be large), after the call itself has been recorded.
   */
  boolean serve(
      String path,
      AdminAudit.Before before,
      Response response,
      Callback callback,
      AdminApi.Caller caller,
      String requestId)
      throws Exception {
    if (path.equals(AdminHandler.AUDIT)) {
      List<Map<String, Object>> chains = new ArrayList<>();
      for (AuditService.ChainHead head : audit.heads()) {
        chains.add(Map.of("chain", head.chain(), "records", head.records(), "hash", head.hash()));
      }
      AdminReply reply = AdminReply.ok(Map.of("chains", chains));
      auditing.record("GET", path, before, reply, caller, requestId);
      return answer(response, callback, reply);
    }
    String chain = path.substring(AdminHandler.AUDIT.length() + 1);
    if (!chain.equals(AuditService.SYSTEM_CHAIN)) {
      try {
        api.identities().tenant(chain);
      } catch (IdentityException | InvalidArgumentException e) {
        AdminReply reply = AdminReply.error(404, "NoSuchTenant", "no tenant " + chain);
        auditing.record("GET", path, before, reply, caller, requestId);
        return answer(response, callback, reply);
      }
    }
    auditing.record("GET", path, before, new AdminReply(200, null), caller, requestId);
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/x-ndjson");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    OutputStream out = Content.Sink.asOutputStream(response);
    try {
      audit.export(chain, out);
      out.close();
    } catch (RuntimeException | IOException e) {
      LOG.error("admin: audit export of {} failed: {}", chain, e.toString());
      if (!response.isCommitted()) {
        // The cause (a path, an I/O error) is the server's own: it is in the log line above.
        return answer(
            response,
            callback,
            AdminReply.error(
                e instanceof AuditUnavailableException unavailable
                    ? WebError.of(unavailable)
                    : new WebError(
                        503, "AuditUnavailable", "the audit trail could not be exported")));
      }
      callback.failed(e);
      return true;
    }
    callback.succeeded();
    return true;
  }

  static boolean answer(Response response, Callback callback, AdminReply reply) {
    byte[] bytes = reply.body() == null ? new byte[0] : AdminApi.bytes(reply.body());
    response.setStatus(reply.status());
    response
        .getHeaders()
        .put(
            HttpHeader.CONTENT_TYPE,
            reply.body() instanceof String s && s.startsWith("-----")
                ? "application/x-pem-file"
                : "application/json");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.write(true, ByteBuffer.wrap(bytes), callback);
    return true;
  }
}
