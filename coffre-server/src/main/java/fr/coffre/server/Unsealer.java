package fr.coffre.server;

import fr.coffre.crypto.SealedRootKey;
import java.io.IOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unseals the root key: at once with a passphrase from the environment, else as soon as the
 * passphrase file exists, and again whenever it changes after a wrong passphrase.
 */
final class Unsealer {
  private static final Logger LOG = LoggerFactory.getLogger(Unsealer.class);

  private final SealedRootKey key;
  private final ServerConfig.Sealed source;
  private volatile Thread thread;

  Unsealer(SealedRootKey key, ServerConfig.Sealed source) {
    this.key = key;
    this.source = source;
  }

  void start() {
    thread = Thread.ofVirtual().name("unsealer").start(this::run);
  }

  void stop() {
    Thread t = thread;
    if (t != null) {
      t.interrupt();
    }
  }

  private void run() {
    String tried = null;
    while (key.isSealed() && !Thread.currentThread().isInterrupted()) {
      String passphrase = null;
      String attempt = null;
      if (source.passphrase() != null && !source.passphrase().isEmpty()) {
        passphrase = source.passphrase();
        attempt = "environment";
      } else {
        try {
          if (Files.isReadable(source.passphraseFile())) {
            attempt = Files.getLastModifiedTime(source.passphraseFile()) + "/" + Files.size(source.passphraseFile());
            if (!attempt.equals(tried)) {
              passphrase = Files.readString(source.passphraseFile()).strip();
            }
          }
        } catch (IOException e) {
          LOG.warn("cannot read the passphrase file {}: {}", source.passphraseFile(), e.toString());
        }
      }
      if (passphrase != null && !attempt.equals(tried)) {
        tried = attempt;
        try {
          key.unseal(passphrase.toCharArray());
          LOG.info("root key {} unsealed; serving", key.id());
          return;
        } catch (GeneralSecurityException | IOException e) {
          LOG.error("root key not unsealed: wrong passphrase or altered sealed key file ({}); still sealed",
              e.getMessage());
        }
      }
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
