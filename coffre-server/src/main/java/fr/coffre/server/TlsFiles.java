package fr.coffre.server;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the server's TLS identity from PEM files, as operators get them from their PKI or from
 * openssl: a certificate chain (leaf first) and an unencrypted PKCS#8 private key (RSA, EC or
 * Ed25519), into an in-memory key store for Jetty. Errors name the file and say how to fix it.
 */
final class TlsFiles {
  static final char[] NO_PASSWORD = new char[0];
  private static final Pattern PKCS8 =
      Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

  private TlsFiles() {}

  /** A key store holding the key and chain under the alias {@code coffre}. */
  static KeyStore keyStore(Path certFile, Path keyFile) {
    List<Certificate> chain = certificates(certFile);
    PrivateKey key = privateKey(keyFile);
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("coffre", key, NO_PASSWORD, chain.toArray(new Certificate[0]));
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException(
          "tls: the key in "
              + keyFile
              + " does not go with the certificate in "
              + certFile
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /**
   * A trust store of the CA certificates in a PEM bundle ({@code cluster.ca-file}): a peer is
   * trusted when its chain ends at one of them.
   */
  static KeyStore trustStore(Path caFile) {
    List<Certificate> cas = certificates(caFile);
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      for (int i = 0; i < cas.size(); i++) {
        store.setCertificateEntry("ca-" + i, cas.get(i));
      }
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException(
          "ca-file: " + caFile + " cannot be used as a trust store: " + e.getMessage(), e);
    }
  }

  static List<Certificate> certificates(Path file) {
    try {
      byte[] pem = Files.readAllBytes(file);
      Collection<? extends Certificate> certs =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(pem));
      if (certs.isEmpty()) {
        throw new IllegalArgumentException("tls-cert: " + file + " holds no PEM certificate");
      }
      return List.copyOf(certs);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "tls-cert: cannot read " + file + ": " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "tls-cert: " + file + " is not a PEM X.509 certificate chain", e);
    }
  }

  static PrivateKey privateKey(Path file) {
    String pem;
    try {
      pem = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException("tls-key: cannot read " + file + ": " + e.getMessage(), e);
    }
    Matcher m = PKCS8.matcher(pem);
    if (!m.find()) {
      throw new IllegalArgumentException(
          "tls-key: "
              + file
              + " holds no unencrypted PKCS#8 key (BEGIN PRIVATE KEY);"
              + " convert it with: openssl pkcs8 -topk8 -nocrypt -in OLD.pem -out "
              + file.getFileName());
    }
    byte[] der = Base64.getMimeDecoder().decode(m.group(1));
    for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new IllegalArgumentException(
        "tls-key: " + file + " is not an RSA, EC or EdDSA PKCS#8 key");
  }
}
