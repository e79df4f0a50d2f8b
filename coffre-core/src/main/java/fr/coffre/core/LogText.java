package fr.coffre.core;

/** Text a client chose, made safe to write into a log line: no control character forges a line. */
public final class LogText {
  private LogText() {}

  /** {@code text} with every control character (U+0000 to U+001F, U+007F) replaced by {@code ?}. */
  public static String printable(String text) {
    return text.chars().anyMatch(c -> c < 0x20 || c == 0x7f)
        ? text.replaceAll("[\\x00-\\x1f\\x7f]", "?")
        : text;
  }
}
