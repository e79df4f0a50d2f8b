package fr.coffre.admin;

import fr.coffre.web.WebError;

/** What an admin call answers: an HTTP status and a JSON-serialisable body (or text). */
record AdminReply(int status, Object body) {
  static AdminReply ok(Object body) {
    return new AdminReply(200, body);
  }

  static AdminReply error(int status, String code, String message) {
    return error(new WebError(status, code, message));
  }

  static AdminReply error(WebError e) {
    return new AdminReply(e.status(), e.body());
  }
}
