package fr.coffre.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The client a node calls its peers with: its connections leave from the address it is given. */
class ClusterHttpTest {
  /** The address a connection came from, as a peer listening on 127.0.0.1 sees it. */
  private static InetAddress callerSeenBy(HttpClient http) throws Exception {
    try (ServerSocket listener = new ServerSocket()) {
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      CompletableFuture<InetAddress> seen =
          CompletableFuture.supplyAsync(
              () -> {
                try (Socket s = listener.accept()) {
                  InetAddress from = s.getInetAddress();
                  s.getInputStream().read(new byte[4096]);
                  OutputStream out = s.getOutputStream();
                  out.write(
                      "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n"
                          .getBytes(StandardCharsets.US_ASCII));
                  out.flush();
                  return from;
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      URI uri = URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/internal/v1/health");
      HttpResponse<Void> r =
          http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding());
      assertThat(r.statusCode()).isEqualTo(204);
      return seen.get();
    } finally {
      http.shutdownNow();
    }
  }

  @Test
  void client_withASourceAddress_connectsFromIt() throws Exception {
    InetAddress source = InetAddress.getByName("127.0.0.2");
    assertThat(callerSeenBy(ClusterHttp.client(source))).isEqualTo(source);
  }

  @Test
  void client_withoutOne_connectsFromTheSystemsChoice() throws Exception {
    assertThat(callerSeenBy(ClusterHttp.client()).getHostAddress()).isEqualTo("127.0.0.1");
  }
}
