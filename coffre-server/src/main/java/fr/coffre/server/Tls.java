package fr.coffre.server;

import java.nio.file.Path;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTPS for the S3 listener: TLS 1.2 and 1.3 only, AEAD cipher suites with forward secrecy (the
 * ANSSI TLS recommendations), the identity read from PEM files and re-read on {@link #reload()}
 * without dropping connections: on SIGHUP, and when the files change (a renewal tool that only
 * replaces them, or a process that ignores SIGHUP, as under nohup, still gets the new certificate).
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

  Tls(Path cert, Path key) {
    this.cert = cert;
    this.key = key;
    factory.setKeyStore(TlsFiles.keyStore(cert, key));
    factory.setKeyStorePassword("");
    factory.setIncludeProtocols(PROTOCOLS);
    factory.setExcludeProtocols("SSLv3", "TLSv1", "TLSv1.1");
    factory.setIncludeCipherSuites(CIPHER_SUITES);
    factory.setRenegotiationAllowed(false);
    // Clients reach S3 by IP or by virtual-host names the certificate may not list; checking the
    // SNI against the certificate is the client's job.
    factory.setSniRequired(false);
  }

  SslContextFactory.Server factory() {
    return factory;
  }

  private volatile Thread watcher;

  /** Checks the files every {@code period} and reloads when they changed. */
  void watch(java.time.Duration period) {
    watcher =
        Thread.ofVirtual()
            .name("tls-watch")
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
        b.append(java.nio.file.Files.getLastModifiedTime(p))
            .append('/')
            .append(java.nio.file.Files.size(p))
            .append(';');
      } catch (java.io.IOException e) {
        b.append("missing;");
      }
    }
    return b.toString();
  }

  /** Re-reads the PEM files; new connections use the new identity, open ones keep theirs. */
  void reload() {
    try {
      factory.reload(f -> f.setKeyStore(TlsFiles.keyStore(cert, key)));
      LOG.info("TLS certificate reloaded from {}", cert);
    } catch (Exception e) {
      LOG.error(
          "TLS certificate reload from {} failed; keeping the current one: {}",
          cert,
          e.getMessage());
    }
  }
}
