package fr.coffre.server;

import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;

/** The secondary listeners (admin, console): how each is opened and how its requests are routed. */
final class Listeners {
  private Listeners() {}

  /** How much of a connection Jetty reads at a time. */
  static final int INPUT_BUFFER = 64 * 1024;

  /**
   * A listener on {@code address}: HTTPS with the S3 listener's certificate when TLS is on, under
   * the configured limits.
   */
  static ServerConnector listener(
      Server jetty, Tls tls, ServerConfig.Address address, ClientLimits clients) {
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    return listener(jetty, tls, address, http, clients);
  }

  /**
   * A listener on {@code address} with the given HTTP settings, HTTPS when {@code tls} is set; its
   * header size, header deadline, idle timeout and per-address caps from {@code clients}' limits.
   */
  static ServerConnector listener(
      Server jetty,
      Tls tls,
      ServerConfig.Address address,
      HttpConfiguration http,
      ClientLimits clients) {
    ServerConfig.Limits limits = clients.limits();
    http.setRequestHeaderSize(limits.maxHeaderSize());
    HttpConnectionFactory h1 = new HeaderDeadline(http, limits.headerTimeout());
    // Jetty reads a connection 8 KiB at a time by default: a 1 MiB upload is 128 reads, each a
    // system call and a hand-over to the request's thread. Buffers come from Jetty's pool and go
    // back to it as soon as the bytes are consumed, so an idle connection holds none.
    h1.setInputBufferSize(INPUT_BUFFER);
    ServerConnector c;
    if (tls != null) {
      http.addCustomizer(new SecureRequestCustomizer(false));
      c =
          new ServerConnector(
              jetty, new SslConnectionFactory(tls.factory(), HttpVersion.HTTP_1_1.asString()), h1);
    } else {
      c = new ServerConnector(jetty, h1);
    }
    c.setHost(address.host());
    c.setPort(address.port());
    c.setIdleTimeout(limits.idleTimeout().toMillis());
    c.addBean(clients);
    jetty.addConnector(c);
    return c;
  }

  /** A Jetty handler as a function, for {@link #dispatch}. */
  @FunctionalInterface
  interface Serve {
    boolean handle(Request request, Response response, Callback callback) throws Exception;
  }

  /** A function as a Jetty handler. */
  static Handler handler(Serve serve) {
    return new Handler.Abstract(Handler.AbstractContainer.InvocationType.BLOCKING) {
      @Override
      public boolean handle(Request request, Response response, Callback callback)
          throws Exception {
        return serve.handle(request, response, callback);
      }
    };
  }

  /** Sends the requests of one listener to {@code handler}, the others to {@code rest}. */
  static Handler dispatch(ServerConnector listener, Handler handler, Handler rest) {
    return new Handler.Abstract(Handler.AbstractContainer.InvocationType.BLOCKING) {
      @Override
      public boolean handle(Request request, Response response, Callback callback)
          throws Exception {
        return request.getConnectionMetaData().getConnector() == listener
            ? handler.handle(request, response, callback)
            : rest.handle(request, response, callback);
      }
    };
  }
}
