package fr.coffre.server;

import java.lang.reflect.Proxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGHUP, the usual "reload" signal of a service. The JDK's signal API is unsupported, so it is
 * reached reflectively; where it is missing, or SIGHUP is ignored (nohup), callers must have
 * another trigger (the TLS files are also watched).
 */
final class Hangup {
  private static final Logger LOG = LoggerFactory.getLogger(Hangup.class);

  private Hangup() {}

  /** Runs {@code action} on a virtual thread at each SIGHUP. */
  static void onSignal(Runnable action) {
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
      Object handler =
          Proxy.newProxyInstance(
              handlerType.getClassLoader(),
              new Class<?>[] {handlerType},
              (proxy, method, args) -> {
                if (method.getName().equals("handle")) {
                  Thread.ofVirtual().start(action);
                }
                return null;
              });
      signal
          .getMethod("handle", signal, handlerType)
          .invoke(null, signal.getConstructor(String.class).newInstance("HUP"), handler);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn(
          "SIGHUP is not available here ({}); reloads happen when the files change", e.toString());
    }
  }
}
