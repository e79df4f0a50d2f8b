package fr.coffre.web;

import java.util.function.BiFunction;
import org.eclipse.jetty.http.HttpTester;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;

/**
 * A Jetty server in memory (no socket) whose one handler runs a probe and answers what it returns,
 * so the toolkit is tested on the requests Jetty really builds. {@code X-Forwarded-Proto: https}
 * makes a request secure, as TLS would.
 */
final class LocalEdge implements AutoCloseable {
  private final Server server = new Server();
  private final LocalConnector connector;

  LocalEdge(BiFunction<Request, Response, String> probe) throws Exception {
    HttpConfiguration config = new HttpConfiguration();
    config.addCustomizer(new ForwardedRequestCustomizer());
    connector = new LocalConnector(server, new HttpConnectionFactory(config));
    server.addConnector(connector);
    server.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            String body = probe.apply(request, response);
            response.setStatus(200);
            Content.Sink.write(response, true, body, callback);
            return true;
          }
        });
    server.start();
  }

  /** Sends {@code method path} with the given header lines (each "Name: value"). */
  HttpTester.Response send(String method, String path, String... headers) throws Exception {
    StringBuilder raw = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
    boolean host = false;
    for (String h : headers) {
      raw.append(h).append("\r\n");
      host |= h.regionMatches(true, 0, "Host:", 0, 5);
    }
    if (!host) {
      raw.append("Host: coffre.example:7071\r\n");
    }
    raw.append("Content-Length: 0\r\nConnection: close\r\n\r\n");
    return HttpTester.parseResponse(connector.getResponse(raw.toString()));
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
