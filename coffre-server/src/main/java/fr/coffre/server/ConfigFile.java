package fr.coffre.server;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The configuration file (YAML), every key optional; see {@code coffre.example.yaml} for each key
 * and its default. Flags and environment variables override it. An unknown key or a value of the
 * wrong shape is refused with a message naming the key: a typo never silently falls back to a
 * default.
 */
public record ConfigFile(
    @JsonProperty("data") String data,
    @JsonProperty("address") String address,
    @JsonProperty("region") String region,
    @JsonProperty("domain") String domain,
    @JsonProperty("ops-address") String opsAddress,
    @JsonProperty("admin-address") String adminAddress,
    @JsonProperty("upload-expiry") String uploadExpiry,
    @JsonProperty("tls") Tls tls,
    @JsonProperty("root-key") RootKey rootKey,
    @JsonProperty("audit") Audit audit) {

  public static final ConfigFile EMPTY = new ConfigFile(null, null, null, null, null, null, null, null, null, null);

  /** The {@code audit} section. */
  public record Audit(
      @JsonProperty("enabled") String enabled,
      @JsonProperty("retention") String retention,
      @JsonProperty("fail-closed") String failClosed,
      @JsonProperty("checkpoint-interval") String checkpointInterval) {}

  /** The {@code root-key} section: where the root key lives. */
  public record RootKey(
      @JsonProperty("pkcs11") Pkcs11 pkcs11, @JsonProperty("passphrase-file") String passphraseFile) {}

  /** The {@code root-key.pkcs11} section. */
  public record Pkcs11(
      @JsonProperty("library") String library,
      @JsonProperty("slot") String slot,
      @JsonProperty("pin-file") String pinFile,
      @JsonProperty("key-label") String keyLabel) {}

  /** The {@code tls} section. */
  public record Tls(@JsonProperty("cert") String cert, @JsonProperty("key") String key) {}

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  /** Reads and checks the shape of a file; IllegalArgumentException names the file and key. */
  public static ConfigFile load(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("config: cannot read " + file + ": " + e.getMessage(), e);
    }
    if (new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
      return EMPTY;
    }
    try {
      ConfigFile c = YAML.readValue(bytes, ConfigFile.class);
      return c == null ? EMPTY : c;
    } catch (UnrecognizedPropertyException e) {
      throw new IllegalArgumentException("config " + file + ": unknown key '" + path(e) + "' (known: "
          + e.getKnownPropertyIds() + ")", e);
    } catch (MismatchedInputException e) {
      throw new IllegalArgumentException("config " + file + ": key '" + path(e) + "' has a value of the wrong kind", e);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("config " + file + ": not valid YAML: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException("config: cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static String path(MismatchedInputException e) {
    StringBuilder b = new StringBuilder();
    for (var ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        b.append(b.isEmpty() ? "" : ".").append(ref.getFieldName());
      }
    }
    return b.toString();
  }
}
