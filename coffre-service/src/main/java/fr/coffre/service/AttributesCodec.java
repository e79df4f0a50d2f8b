package fr.coffre.service;

import fr.coffre.core.CorruptDataException;
import fr.coffre.core.ObjectAttributes;
import fr.coffre.core.ObjectChecksum;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns {@link ObjectAttributes} into bytes and back, before they are sealed under the object's
 * data key. Layout (docs/on-disk-format.md): version byte, six optional strings (presence byte +
 * modified UTF-8), then the count of user metadata entries and each name and value; version 2 adds
 * the count of tags with each key and value, then an optional checksum (algorithm, type, optional
 * value, count of part values and each). Version 1 records are still read.
 */
final class AttributesCodec {
  private static final int VERSION = 2;

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
      out.writeInt(a.tags().size());
      for (Map.Entry<String, String> e : a.tags().entrySet()) {
        out.writeUTF(e.getKey());
        out.writeUTF(e.getValue());
      }
      ObjectChecksum c = a.checksum();
      out.writeBoolean(c != null);
      if (c != null) {
        out.writeUTF(c.algorithm());
        out.writeUTF(c.type());
        writeOptional(out, c.value());
        out.writeInt(c.partValues().size());
        for (String v : c.partValues()) {
          out.writeUTF(v);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static ObjectAttributes decode(byte[] data) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      int version = in.readUnsignedByte();
      if (version < 1 || version > VERSION) {
        throw new CorruptDataException(
            "attributes version " + version + ", expected 1 to " + VERSION, null);
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
      if (version == 1) {
        return new ObjectAttributes(s[0], s[1], s[2], s[3], s[4], s[5], meta);
      }
      int tagCount = in.readInt();
      Map<String, String> tags = new LinkedHashMap<>();
      for (int i = 0; i < tagCount; i++) {
        tags.put(in.readUTF(), in.readUTF());
      }
      ObjectChecksum checksum = null;
      if (in.readBoolean()) {
        String algorithm = in.readUTF();
        String type = in.readUTF();
        String value = in.readBoolean() ? in.readUTF() : null;
        int parts = in.readInt();
        List<String> partValues = new ArrayList<>(parts);
        for (int i = 0; i < parts; i++) {
          partValues.add(in.readUTF());
        }
        checksum = new ObjectChecksum(algorithm, type, value, partValues);
      }
      return new ObjectAttributes(s[0], s[1], s[2], s[3], s[4], s[5], meta, tags, checksum);
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
