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

  /** A listener on {@code address}: HTTPS with the S3 listener's certificate when TLS is on. */
  static ServerConnector listener(Server jetty, Tls tls, ServerConfig.Address address) {
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    return listener(jetty, tls, address, http);
  }

  /** A listener on {@code address} with the given HTTP settings, HTTPS when {@code tls} is set. */
  static ServerConnector listener(
      Server jetty, Tls tls, ServerConfig.Address address, HttpConfiguration http) {
    ServerConnector c;
    if (tls != null) {
      http.addCustomizer(new SecureRequestCustomizer(false));
      c =
          new ServerConnector(
              jetty,
              new SslConnectionFactory(tls.factory(), HttpVersion.HTTP_1_1.asString()),
              new HttpConnectionFactory(http));
    } else {
      c = new ServerConnector(jetty, new HttpConnectionFactory(http));
    }
    c.setHost(address.host());
    c.setPort(address.port());
    jetty.addConnector(c);
    return c;
  }

  /** A Jetty handler as a function, for {@link #dispatch}. */
  @FunctionalInterface
  interface Serve {
    boolean handle(Request request, Response response, Callback callback) throws Exception;
  }

  /** Sends the requests of one listener to {@code handler}, the others to {@code rest}. */
  static Handler dispatch(ServerConnector listener, Serve handler, Handler rest) {
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
