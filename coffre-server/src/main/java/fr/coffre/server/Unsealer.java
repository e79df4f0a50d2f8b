package fr.coffre.server;

import java.io.IOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unseals the root key: at once with a passphrase from the environment, else as soon as the
 * passphrase file exists, and again whenever it changes after a wrong passphrase. On a new data
 * directory the configured passphrase creates the sealed key (refused, and logged, when weak).
 */
final class Unsealer {
  private static final Logger LOG = LoggerFactory.getLogger(Unsealer.class);

  private final RootKeys keys;
  private final ServerConfig.Sealed source;
  private volatile Thread thread;

  Unsealer(RootKeys keys, ServerConfig.Sealed source) {
    this.keys = keys;
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
    while (keys.sealed().isSealed() && !Thread.currentThread().isInterrupted()) {
      String passphrase = null;
      String attempt = null;
      if (source.passphrase() != null && !source.passphrase().isEmpty()) {
        passphrase = source.passphrase();
        attempt = "environment";
      } else {
        try {
          if (Files.isReadable(source.passphraseFile())) {
            attempt =
                Files.getLastModifiedTime(source.passphraseFile())
                    + "/"
                    + Files.size(source.passphraseFile());
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
          if (!keys.created()) {
            // The configured passphrase is the operator's explicit choice: it creates the key, if
            // strong.
            keys.create(passphrase.toCharArray());
            LOG.info("sealed root key created from the configured passphrase");
          }
          keys.unseal(passphrase.toCharArray());
          LOG.info("root key {} unsealed; serving", keys.sealed().id());
          return;
        } catch (IllegalArgumentException e) {
          LOG.error("sealed root key not created: {}; still sealed", e.getMessage());
        } catch (GeneralSecurityException | IOException e) {
          LOG.error(
              "root key not unsealed: wrong passphrase or altered sealed key file ({}); still sealed",
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
