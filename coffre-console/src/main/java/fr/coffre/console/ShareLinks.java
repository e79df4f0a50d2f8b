package fr.coffre.console;

import fr.coffre.core.AuditUnavailableException;
import fr.coffre.core.CoffreException;
import fr.coffre.core.ShareLinkRecord;
import fr.coffre.service.ShareService;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * What a recipient without an account sees of a share link: {@code GET /s/TOKEN} (the page), {@code
 * GET /api/share/TOKEN} (its facts; name and size stay hidden behind a password) and {@code POST
 * /s/TOKEN/download}. Every download and refused download is audited in the bucket owner's chain.
 */
final class ShareLinks {
  private static final int MAX_FORM = 8 * 1024;

  private final ConsoleServices s;
  private final ConsoleRecorder recorder;
  private final StaticAssets assets;

  ShareLinks(ConsoleServices s, ConsoleRecorder recorder, StaticAssets assets) {
    this.s = s;
    this.recorder = recorder;
    this.assets = assets;
  }

  boolean describe(
      String token, Request request, Response response, Callback callback, String requestId) {
    if (!request.getMethod().equals("GET")) {
      return Web.json(response, callback, Reply.error(405, "MethodNotAllowed", "GET only"));
    }
    try {
      ShareLinkRecord link = s.shares().resolve(token);
      boolean locked = link.passwordHash() != null;
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", locked ? null : StorageApi.fileName(link.key()));
      long size =
          s.shares().size(link, ConsoleHandler.conditionsOf(request)); // the link must still work
      m.put("size", locked ? null : size);
      m.put("expiresAt", link.expires().toString());
      m.put("passwordRequired", locked);
      return Web.json(response, callback, Reply.ok(m));
    } catch (CoffreException e) {
      return Web.json(response, callback, ConsoleHandler.failure(e, requestId));
    }
  }

  boolean page(String rest, Request request, Response response, Callback callback, String requestId)
      throws Exception {
    String method = request.getMethod();
    if (rest.endsWith("/download")) {
      if (!method.equals("POST")) {
        response.getHeaders().put("Allow", "POST");
        return Web.html(
            response,
            callback,
            405,
            page(
                "405",
                "Use the page's Download button.",
                "Utilisez le bouton Télécharger de la page.",
                null));
      }
      return download(
          rest.substring(0, rest.length() - "/download".length()),
          request,
          response,
          callback,
          requestId);
    }
    if (rest.isEmpty() || rest.contains("/")) {
      return Web.json(response, callback, Reply.error(404, "NotFound", "no such page"));
    }
    return assets.serve("share.html", request, response, callback);
  }

  private boolean download(
      String token, Request request, Response response, Callback callback, String requestId)
      throws Exception {
    String password = formField(request, "password");
    // Recorded in the bucket owner's chain even when the link has ended; an unknown token in
    // _system.
    ShareLinkRecord link = s.shares().find(token).orElse(null);
    ConsoleRecorder.Context ctx =
        new ConsoleRecorder.Context(
            requestId,
            Request.getRemoteAddr(request),
            request.isSecure(),
            "ShareLinkDownload",
            link == null ? null : link.bucket().value(),
            link == null ? null : link.key());
    String details =
        link == null
            ? null
            : Web.JSON.writeValueAsString(Map.of("share", link.id(), "createdBy", link.creator()));
    ShareService.Download d;
    try {
      d = s.shares().open(token, password, ConsoleHandler.conditionsOf(request));
    } catch (CoffreException e) {
      Reply r = ConsoleHandler.failure(e, requestId);
      try {
        recorder.shareDownload(ctx, r.status(), r.errorCode(), 0, details);
      } catch (AuditUnavailableException unrecorded) {
        return Web.html(
            response,
            callback,
            503,
            page(
                "503",
                "Unavailable, try again later.",
                "Indisponible, réessayez plus tard.",
                null));
      }
      return Web.html(response, callback, r.status(), refusal(r.errorCode(), token));
    }
    long length = d.object().info().size();
    try {
      recorder.shareDownload(ctx, 200, null, length, details);
    } catch (AuditUnavailableException e) {
      d.object().content().close();
      return Web.html(
          response,
          callback,
          503,
          page("503", "Unavailable, try again later.", "Indisponible, réessayez plus tard.", null));
    }
    String type = d.object().info().attributes().contentType();
    Web.download(
        response,
        callback,
        new Reply.Stream(
            d.object().content(),
            length,
            type == null ? "application/octet-stream" : type,
            StorageApi.fileName(d.link().key())));
    return true;
  }

  private static String refusal(String code, String token) {
    String retry = "/s/" + token;
    return switch (code == null ? "" : code) {
      case "ShareRevoked" ->
          page("410", "This link has been revoked.", "Ce lien a été révoqué.", null);
      case "ShareExpired" -> page("410", "This link has expired.", "Ce lien a expiré.", null);
      case "ShareUsedUp" ->
          page(
              "410",
              "This link has reached its download limit.",
              "Ce lien a atteint son nombre maximal de téléchargements.",
              null);
      case "ShareObjectChanged" ->
          page(
              "410",
              "The shared file has been replaced or deleted.",
              "Le fichier partagé a été remplacé ou supprimé.",
              null);
      case "NoSuchShare" -> page("404", "This link does not exist.", "Ce lien n'existe pas.", null);
      case "WrongPassword", "PasswordRequired" ->
          page("403", "Wrong or missing password.", "Mot de passe incorrect ou manquant.", retry);
      case "TooManyAttempts" ->
          page(
              "429",
              "Too many wrong passwords; try again later.",
              "Trop de mots de passe incorrects ; réessayez plus tard.",
              null);
      default ->
          page(
              "error",
              "The file cannot be downloaded.",
              "Le fichier ne peut pas être téléchargé.",
              null);
    };
  }

  /**
   * A minimal bilingual page for a refused download (the browser shows it instead of saving a
   * file).
   */
  static String page(String status, String english, String french, String retry) {
    String back =
        retry == null
            ? ""
            : "<p><a href=\"" + Web.escape(retry) + "\">Try again / Réessayer</a></p>";
    return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Coffre</title>"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<link rel=\"stylesheet\" href=\"/app.css\"></head><body><main class=\"share\">"
        + "<h1>Coffre</h1><p role=\"alert\" data-status=\""
        + Web.escape(status)
        + "\">"
        + Web.escape(english)
        + "</p>"
        + "<p lang=\"fr\">"
        + Web.escape(french)
        + "</p>"
        + back
        + "</main></body></html>";
  }

  private static String formField(Request request, String name) throws IOException {
    byte[] bytes;
    try (InputStream in = Content.Source.asInputStream(request)) {
      bytes = in.readNBytes(MAX_FORM);
    }
    for (String pair : new String(bytes, StandardCharsets.US_ASCII).split("&")) {
      int eq = pair.indexOf('=');
      try {
        if (eq > 0
            && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
          return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        }
      } catch (IllegalArgumentException e) {
        return null; // a malformed form is a missing password, not a server error
      }
    }
    return null;
  }
}
