package fr.coffre.cluster;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.jspecify.annotations.Nullable;

/**
 * The test PKI of {@code src/test/resources/tls} (made by its {@code make.sh}): a cluster CA, two
 * node certificates from it, one for another address, and an intruder from another CA; as the
 * server builds its contexts from PEM files, with JDK and Jetty APIs only.
 */
final class TestPki {
  private static final char[] NO_PASSWORD = new char[0];

  private TestPki() {}

  /**
   * A listener's side: presents {@code name}'s certificate, requires a client one from {@code ca}.
   */
  static SslContextFactory.Server server(String name, String ca) throws Exception {
    SslContextFactory.Server f = new SslContextFactory.Server();
    f.setKeyStore(identity(name));
    f.setKeyStorePassword("");
    f.setTrustStore(trust(ca));
    f.setNeedClientAuth(true);
    f.setIncludeProtocols(ClusterHttp.PROTOCOLS);
    f.setSniRequired(false);
    return f;
  }

  /** A caller's side: presents {@code name}'s certificate (none when null), trusts {@code ca}. */
  static SSLContext client(@Nullable String name, String ca) throws Exception {
    KeyManager[] keys = null;
    if (name != null) {
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(identity(name), NO_PASSWORD);
      keys = kmf.getKeyManagers();
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust(ca));
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys, tmf.getTrustManagers(), null);
    return context;
  }

  static KeyStore identity(String name) throws Exception {
    Collection<? extends Certificate> chain = certificates(name + ".pem");
    String pem = new String(read(name + ".key"), StandardCharsets.US_ASCII);
    String base64 =
        pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "");
    PrivateKey key =
        KeyFactory.getInstance("EC")
            .generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(base64)));
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("node", key, NO_PASSWORD, chain.toArray(new Certificate[0]));
    return store;
  }

  static KeyStore trust(String ca) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    int i = 0;
    for (Certificate c : certificates(ca + ".pem")) {
      store.setCertificateEntry("ca-" + i++, c);
    }
    return store;
  }

  private static Collection<? extends Certificate> certificates(String file) throws Exception {
    return CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(read(file)));
  }

  private static byte[] read(String file) throws IOException {
    try (InputStream in = TestPki.class.getResourceAsStream("/tls/" + file)) {
      if (in == null) {
        throw new IOException("no test resource tls/" + file);
      }
      return in.readAllBytes();
    }
  }
}
