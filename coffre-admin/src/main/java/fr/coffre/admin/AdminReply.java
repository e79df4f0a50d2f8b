package fr.coffre.admin;

/** What an admin call answers: an HTTP status and a JSON-serialisable body (or text). */
record AdminReply(int status, Object body) {
  static AdminReply ok(Object body) {
    return new AdminReply(200, body);
  }

  static AdminReply error(int status, String code, String message) {
    return new AdminReply(status, new ErrorBody(code, message));
  }

  record ErrorBody(String error, String message) {}
}
