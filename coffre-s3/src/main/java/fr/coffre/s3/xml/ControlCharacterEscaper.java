package fr.coffre.s3.xml;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.util.Locale;
import org.codehaus.stax2.io.EscapingWriterFactory;

/**
 * Escapes text and attribute values as S3 writes them: {@code & < > "} as entities, and control
 * characters (U+0000 to U+001F but tab, line feed; U+007F) as character references such as {@code
 * &#x1;}. Keys may hold them; XML 1.0 parsers of strict clients reject them, which is why S3 offers
 * {@code encoding-type=url}, but a listing must never fail on the server's side.
 */
final class ControlCharacterEscaper extends FilterWriter {
  static final EscapingWriterFactory FACTORY =
      new EscapingWriterFactory() {
        @Override
        public Writer createEscapingWriterFor(Writer w, String enc) {
          return new ControlCharacterEscaper(w);
        }

        @Override
        public Writer createEscapingWriterFor(OutputStream out, String enc) {
          return new ControlCharacterEscaper(
              new OutputStreamWriter(out, Charset.forName(enc == null ? "UTF-8" : enc)));
        }
      };

  ControlCharacterEscaper(Writer out) {
    super(out);
  }

  @Override
  public void write(int c) throws IOException {
    switch (c) {
      case '&' -> out.write("&amp;");
      case '<' -> out.write("&lt;");
      case '>' -> out.write("&gt;");
      case '"' -> out.write("&quot;");
      case '\r' -> out.write("&#xD;");
      default -> {
        if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f) {
          out.write("&#x" + Integer.toHexString(c).toUpperCase(Locale.ROOT) + ";");
        } else {
          out.write(c);
        }
      }
    }
  }

  @Override
  public void write(char[] cbuf, int off, int len) throws IOException {
    int run = off; // as for strings: characters that need no escape go out in one write
    for (int i = off; i < off + len; i++) {
      if (needsEscape(cbuf[i])) {
        out.write(cbuf, run, i - run);
        write(cbuf[i]);
        run = i + 1;
      }
    }
    out.write(cbuf, run, off + len - run);
  }

  @Override
  public void write(String str, int off, int len) throws IOException {
    int run = off; // the start of the characters written as they are
    for (int i = off; i < off + len; i++) {
      if (needsEscape(str.charAt(i))) {
        out.write(str, run, i - run);
        write(str.charAt(i));
        run = i + 1;
      }
    }
    out.write(str, run, off + len - run);
  }

  private static boolean needsEscape(char c) {
    return c == '&' || c == '<' || c == '>' || c == '"' || c < 0x20 || c == 0x7f;
  }
}
