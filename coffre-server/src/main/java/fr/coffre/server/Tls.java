package fr.coffre.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTPS for a listener: TLS 1.2 and 1.3 only, AEAD cipher suites with forward secrecy (the ANSSI
 * TLS recommendations), the identity read from PEM files and re-read on {@link #reload()} without
 * dropping connections: on SIGHUP, and when the files change (a renewal tool that only replaces
 * them, or a process that ignores SIGHUP, as under nohup, still gets the new certificate).
 *
 * <p>With a client CA it is mutual TLS, as between the nodes of a cluster: the listener requires a
 * client certificate that chains to that CA, and {@link #clientContext()} is the other side, the
 * context a node calls its peers with, presenting the same identity (reloaded with it) and trusting
 * only that CA. The CA bundle is read once, at start.
 */
final class Tls {
  private static final Logger LOG = LoggerFactory.getLogger(Tls.class);
  static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
  static final String[] CIPHER_SUITES = {
    // TLS 1.3
    "TLS_AES_256_GCM_SHA384",
    "TLS_AES_128_GCM_SHA256",
    "TLS_CHACHA20_POLY1305_SHA256",
    // TLS 1.2: ECDHE key exchange (forward secrecy) with AEAD only
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"
  };

  private final Path cert;
  private final Path key;
  private final SslContextFactory.Server factory = new SslContextFactory.Server();
  private final @Nullable NodeKeyManager clientKeys;
  private final @Nullable SSLContext client;
  private volatile @Nullable Thread watcher;

  /** HTTPS with this identity; clients are not asked for a certificate. */
  Tls(Path cert, Path key) {
    this(cert, key, null);
  }

  /**
   * HTTPS with this identity; with {@code clientCa}, mutual: a client certificate chaining to it is
   * required.
   */
  Tls(Path cert, Path key, @Nullable Path clientCa) {
    this.cert = cert;
    this.key = key;
    KeyStore identity = TlsFiles.keyStore(cert, key);
    factory.setKeyStore(identity);
    factory.setKeyStorePassword("");
    factory.setIncludeProtocols(PROTOCOLS);
    factory.setExcludeProtocols("SSLv3", "TLSv1", "TLSv1.1");
    factory.setIncludeCipherSuites(CIPHER_SUITES);
    factory.setRenegotiationAllowed(false);
    // Clients reach S3 by IP or by virtual-host names the certificate may not list; checking the
    // SNI against the certificate is the client's job.
    factory.setSniRequired(false);
    if (clientCa == null) {
      this.clientKeys = null;
      this.client = null;
    } else {
      KeyStore trust = TlsFiles.trustStore(clientCa);
      factory.setTrustStore(trust);
      factory.setNeedClientAuth(true);
      this.clientKeys = new NodeKeyManager(identity);
      this.client = clientContext(clientKeys, trust);
    }
  }

  private static SSLContext clientContext(NodeKeyManager keys, KeyStore trust) {
    try {
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[] {keys}, tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has PKIX and TLS: " + e.getMessage(), e);
    }
  }

  SslContextFactory.Server factory() {
    return factory;
  }

  /** Whether the listener requires a client certificate from the CA. */
  boolean mutual() {
    return client != null;
  }

  /**
   * The context to call peers with: presents this identity, trusts only the client CA.
   *
   * @throws IllegalStateException without a client CA
   */
  SSLContext clientContext() {
    if (client == null) {
      throw new IllegalStateException("TLS for " + cert + " has no client CA");
    }
    return client;
  }

  /** Checks the files every {@code period} and reloads when they changed. */
  void watch(Duration period) {
    watcher =
        Thread.ofVirtual()
            .name("tls-watch-" + cert.getFileName())
            .start(
                () -> {
                  String seen = stamp();
                  while (!Thread.currentThread().isInterrupted()) {
                    try {
                      Thread.sleep(period);
                    } catch (InterruptedException e) {
                      return;
                    }
                    String now = stamp();
                    if (!now.equals(seen)) {
                      seen = now;
                      reload();
                    }
                  }
                });
  }

  void stopWatching() {
    Thread w = watcher;
    if (w != null) {
      w.interrupt();
    }
  }

  /** Modification times and sizes of the two files. */
  private String stamp() {
    StringBuilder b = new StringBuilder();
    for (Path p : new Path[] {cert, key}) {
      try {
        b.append(Files.getLastModifiedTime(p)).append('/').append(Files.size(p)).append(';');
      } catch (IOException e) {
        b.append("missing;");
      }
    }
    return b.toString();
  }

  /**
   * Re-reads the PEM files; new connections use the new identity (accepted and, for a node, opened
   * to its peers), open ones keep theirs.
   */
  void reload() {
    try {
      KeyStore identity = TlsFiles.keyStore(cert, key);
      factory.reload(f -> f.setKeyStore(identity));
      if (clientKeys != null) {
        clientKeys.use(identity);
      }
      LOG.info("TLS certificate reloaded from {}", cert);
    } catch (Exception e) {
      LOG.error(
          "TLS certificate reload from {} failed; keeping the current one: {}",
          cert,
          e.getMessage());
    }
  }
}
