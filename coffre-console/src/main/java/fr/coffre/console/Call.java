package fr.coffre.console;

import fr.coffre.core.Principal;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * One routed console call: what the audit trail names it, and how to run it.
 *
 * @param operation the action's name in the audit trail ({@code PutObject}, {@code
 *     CreateShareLink}...)
 * @param change whether it may change something (then it is also recorded before it starts)
 */
record Call(String operation, String bucket, String key, boolean change, Action action) {

  /** Runs the call for a signed-in principal. */
  @FunctionalInterface
  interface Action {
    Reply run(Principal principal, In in) throws Exception;
  }

  /** What the call reads of the request. */
  interface In {
    String query(String name);

    String header(String name);

    /** The body as a stream (uploads). */
    InputStream body();

    /** The body as JSON (at most 64 KiB), an empty object when there is none. */
    com.fasterxml.jackson.databind.JsonNode json() throws IOException;

    /** The request's policy condition keys (aws:SourceIp, aws:SecureTransport). */
    Map<String, List<String>> conditions();

    /** Bytes of body read so far. */
    long bytesIn();
  }
}
