package fr.coffre.server;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The certificate a node presents when it calls its peers, replaceable while the node runs: the
 * JDK's HTTP client holds one {@code SSLContext} for its life, so a renewed certificate reaches new
 * connections through this indirection rather than through a new client (and a new connection
 * pool). Every choice is the JDK's own key manager's ({@code PKIX}) over the current key store.
 */
final class NodeKeyManager extends X509ExtendedKeyManager {
  private volatile X509ExtendedKeyManager current;

  NodeKeyManager(KeyStore identity) {
    this.current = of(identity);
  }

  /** Presents {@code identity} on the connections opened from now on. */
  void use(KeyStore identity) {
    current = of(identity);
  }

  private static X509ExtendedKeyManager of(KeyStore identity) {
    try {
      KeyManagerFactory f = KeyManagerFactory.getInstance("PKIX");
      f.init(identity, TlsFiles.NO_PASSWORD);
      for (KeyManager m : f.getKeyManagers()) {
        if (m instanceof X509ExtendedKeyManager x) {
          return x;
        }
      }
      throw new IllegalStateException("the JDK's PKIX key manager factory made no X.509 manager");
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cluster tls: unusable key store: " + e.getMessage(), e);
    }
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return current.getClientAliases(keyType, issuers);
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return current.chooseClientAlias(keyType, issuers, socket);
  }

  @Override
  public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
    return current.chooseEngineClientAlias(keyType, issuers, engine);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return current.getServerAliases(keyType, issuers);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return current.chooseServerAlias(keyType, issuers, socket);
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return current.chooseEngineServerAlias(keyType, issuers, engine);
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return current.getCertificateChain(alias);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return current.getPrivateKey(alias);
  }
}
