package fr.coffre.service;

import fr.coffre.core.CorruptDataException;
import fr.coffre.core.ObjectAttributes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns {@link ObjectAttributes} into bytes and back, before they are sealed under the object's
 * data key. Layout: version byte, six optional strings (presence byte + modified UTF-8), then the
 * count of user metadata entries and each name and value.
 */
final class AttributesCodec {
  private static final int VERSION = 1;

  private AttributesCodec() {}

  static byte[] encode(ObjectAttributes a) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      for (String s :
          new String[] {
            a.contentType(),
            a.contentEncoding(),
            a.contentDisposition(),
            a.contentLanguage(),
            a.cacheControl(),
            a.expires()
          }) {
        writeOptional(out, s);
      }
      out.writeInt(a.userMetadata().size());
      for (Map.Entry<String, String> e : a.userMetadata().entrySet()) {
        out.writeUTF(e.getKey());
        out.writeUTF(e.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static ObjectAttributes decode(byte[] data) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      int version = in.readUnsignedByte();
      if (version != VERSION) {
        throw new CorruptDataException("attributes version " + version + ", expected " + VERSION, null);
      }
      String[] s = new String[6];
      for (int i = 0; i < s.length; i++) {
        s[i] = in.readBoolean() ? in.readUTF() : null;
      }
      int n = in.readInt();
      Map<String, String> meta = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        meta.put(in.readUTF(), in.readUTF());
      }
      return new ObjectAttributes(s[0], s[1], s[2], s[3], s[4], s[5], meta);
    } catch (IOException e) {
      throw new CorruptDataException("attributes cannot be decoded: " + e.getMessage(), e);
    }
  }

  private static void writeOptional(DataOutputStream out, String s) throws IOException {
    out.writeBoolean(s != null);
    if (s != null) {
      out.writeUTF(s);
    }
  }
}
