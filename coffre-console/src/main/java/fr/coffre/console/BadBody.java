package fr.coffre.console;

import java.io.IOException;

/**
 * A request body the console refuses for what it says, not because it ended early: malformed JSON,
 * a body over its limit. Its message is written for the client and sent as is.
 */
final class BadBody extends IOException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;

  BadBody(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }
}
