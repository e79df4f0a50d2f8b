package fr.coffre.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;

/**
 * What is wrong with a JSON body, said for its sender: the parser's reason and where (line,
 * column), without the parser's internals (its source description, class names). Both JSON edges
 * (admin API, console) answer {@code 400 MalformedJson} with it.
 */
public final class JsonProblem {
  /** The error code of a body that is not the JSON expected. */
  public static final String CODE = "MalformedJson";

  private JsonProblem() {}

  /** The reason a body did not parse, safe to show. */
  public static String describe(IOException e) {
    if (e instanceof JsonProcessingException j) {
      var at = j.getLocation();
      return j.getOriginalMessage().replaceAll("\\s*\\([^()]*\\[Source:[^\\]]*\\][^()]*\\)", "")
          + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
    }
    return "unreadable";
  }
}
