package fr.coffre.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The admin API's JSON answers, for people: a list of resources as a table (one row each, one
 * column per field), a single resource as {@code field: value} lines followed by a table for each
 * list it holds. Nested objects read as {@code parent.child}; lists of plain values are joined.
 * {@code coffre admin --json} prints the answer as the server sent it instead, for scripts.
 */
final class Tables {
  /** Cells longer than this are cut (with "…") in tables; single values are never cut. */
  static final int MAX_CELL = 60;

  private Tables() {}

  /** The text of an answer. */
  static String render(JsonNode answer) {
    StringBuilder out = new StringBuilder();
    if (answer.isArray()) {
      table(answer, out);
    } else if (answer.isObject()) {
      List<String[]> lines = new ArrayList<>();
      List<Map.Entry<String, JsonNode>> lists = new ArrayList<>();
      fields(answer, "", lines, lists);
      int width = lines.stream().mapToInt(l -> l[0].length()).max().orElse(0);
      for (String[] l : lines) {
        out.append(l[0]).append(": ").append(" ".repeat(width - l[0].length()));
        out.append(l[1]).append('\n');
      }
      for (Map.Entry<String, JsonNode> list : lists) {
        if (!out.isEmpty()) {
          out.append('\n');
        }
        out.append(list.getKey()).append(" (").append(list.getValue().size()).append(")\n");
        table(list.getValue(), out);
      }
    } else {
      out.append(scalar(answer)).append('\n');
    }
    return out.toString();
  }

  private static void fields(
      JsonNode node, String prefix, List<String[]> lines, List<Map.Entry<String, JsonNode>> lists) {
    for (Map.Entry<String, JsonNode> f : node.properties()) {
      String name = prefix + f.getKey();
      JsonNode v = f.getValue();
      if (v.isArray() && v.size() > 0 && allObjects(v)) {
        lists.add(Map.entry(name, v));
      } else if (v.isObject() && v.size() > 0) {
        fields(v, name + ".", lines, lists);
      } else {
        lines.add(new String[] {name, cell(v)});
      }
    }
  }

  private static void table(JsonNode rows, StringBuilder out) {
    if (rows.isEmpty()) {
      out.append("(none)\n");
      return;
    }
    if (!allObjects(rows)) {
      rows.forEach(r -> out.append(cell(r)).append('\n'));
      return;
    }
    List<Map<String, JsonNode>> flat = new ArrayList<>();
    Set<String> columns = new LinkedHashSet<>();
    for (JsonNode r : rows) {
      Map<String, JsonNode> f = new LinkedHashMap<>();
      flatten(r, "", f);
      columns.addAll(f.keySet());
      flat.add(f);
    }
    List<String> names = List.copyOf(columns);
    List<String[]> cells = new ArrayList<>();
    cells.add(names.stream().map(n -> n.toUpperCase(Locale.ROOT)).toArray(String[]::new));
    for (Map<String, JsonNode> r : flat) {
      String[] line = new String[names.size()];
      for (int i = 0; i < line.length; i++) {
        String c = r.containsKey(names.get(i)) ? cell(r.get(names.get(i))) : "";
        line[i] = c.length() > MAX_CELL ? c.substring(0, MAX_CELL - 1) + "…" : c;
      }
      cells.add(line);
    }
    int[] width = new int[names.size()];
    for (String[] line : cells) {
      for (int i = 0; i < line.length; i++) {
        width[i] = Math.max(width[i], line[i].codePointCount(0, line[i].length()));
      }
    }
    for (String[] line : cells) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < line.length; i++) {
        b.append(line[i]);
        if (i < line.length - 1) {
          b.append(" ".repeat(width[i] - line[i].codePointCount(0, line[i].length()) + 2));
        }
      }
      out.append(b.toString().stripTrailing()).append('\n');
    }
  }

  /** A row's fields, nested objects as {@code parent.child} columns. */
  private static void flatten(JsonNode node, String prefix, Map<String, JsonNode> out) {
    for (Map.Entry<String, JsonNode> f : node.properties()) {
      if (f.getValue().isObject() && !f.getValue().isEmpty()) {
        flatten(f.getValue(), prefix + f.getKey() + ".", out);
      } else {
        out.put(prefix + f.getKey(), f.getValue());
      }
    }
  }

  private static boolean allObjects(JsonNode array) {
    for (JsonNode e : array) {
      if (!e.isObject()) {
        return false;
      }
    }
    return true;
  }

  private static String cell(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return "-";
    }
    if (v.isArray()) {
      if (v.isEmpty()) {
        return "-";
      }
      List<String> parts = new ArrayList<>();
      v.forEach(e -> parts.add(e.isValueNode() ? scalar(e) : e.toString()));
      return String.join(", ", parts);
    }
    if (v.isObject()) {
      return v.isEmpty() ? "-" : v.toString();
    }
    return scalar(v);
  }

  private static String scalar(JsonNode v) {
    return v.isTextual() ? v.asText() : v.toString();
  }
}
