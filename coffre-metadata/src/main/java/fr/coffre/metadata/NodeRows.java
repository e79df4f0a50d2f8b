package fr.coffre.metadata;

import fr.coffre.core.NodeRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** SQL for cluster nodes and their volumes, run in the caller's {@link Session}. */
final class NodeRows {
  private static final String COLUMNS =
      "name, site, address, instance, started_ms, heartbeat_ms, state";

  private final Connection c;
  private final Dialect dialect;

  NodeRows(Connection c, Dialect dialect) {
    this.c = c;
    this.dialect = dialect;
  }

  Optional<NodeRecord> find(String name, boolean forUpdate) throws SQLException {
    String lock = forUpdate && dialect == Dialect.POSTGRESQL ? " FOR UPDATE" : "";
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + COLUMNS + " FROM cluster_nodes WHERE name = ?" + lock)) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs, volumesOf(name))) : Optional.empty();
      }
    }
  }

  List<NodeRecord> all() throws SQLException {
    Map<String, Map<String, Long>> volumes = new TreeMap<>();
    try (PreparedStatement ps =
            c.prepareStatement("SELECT node, volume, free_bytes FROM cluster_volumes");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        volumes
            .computeIfAbsent(rs.getString(1), n -> new LinkedHashMap<>())
            .put(rs.getString(2), rs.getLong(3));
      }
    }
    List<NodeRecord> out = new ArrayList<>();
    try (PreparedStatement ps =
            c.prepareStatement("SELECT " + COLUMNS + " FROM cluster_nodes ORDER BY name");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(read(rs, volumes.getOrDefault(rs.getString(1), Map.of())));
      }
    }
    return out;
  }

  /** The node that registered {@code volume}, if any. */
  Optional<String> ownerOf(String volume) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT node FROM cluster_volumes WHERE volume = ?")) {
      ps.setString(1, volume);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  void upsert(NodeRecord n) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO cluster_nodes ("
                + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET"
                + " site = excluded.site, address = excluded.address,"
                + " instance = excluded.instance, started_ms = excluded.started_ms,"
                + " heartbeat_ms = excluded.heartbeat_ms")) {
      ps.setString(1, n.name());
      ps.setString(2, n.site());
      ps.setString(3, n.address());
      ps.setString(4, n.instance());
      ps.setLong(5, n.started().toEpochMilli());
      ps.setLong(6, n.heartbeat().toEpochMilli());
      ps.setString(7, n.state().name());
      ps.executeUpdate();
    }
    deleteVolumes(n.name());
    for (Map.Entry<String, Long> v : n.volumes().entrySet()) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO cluster_volumes (volume, node, free_bytes) VALUES (?, ?, ?)")) {
        ps.setString(1, v.getKey());
        ps.setString(2, n.name());
        ps.setLong(3, v.getValue());
        ps.executeUpdate();
      }
    }
  }

  /** Updates the heartbeat if {@code instance} still holds the name; false otherwise. */
  boolean beat(String name, String instance, Instant now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE cluster_nodes SET heartbeat_ms = ? WHERE name = ? AND instance = ?")) {
      ps.setLong(1, now.toEpochMilli());
      ps.setString(2, name);
      ps.setString(3, instance);
      return ps.executeUpdate() == 1;
    }
  }

  void setFree(String node, String volume, long free) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE cluster_volumes SET free_bytes = ? WHERE volume = ? AND node = ?")) {
      ps.setLong(1, free);
      ps.setString(2, volume);
      ps.setString(3, node);
      ps.executeUpdate();
    }
  }

  boolean setState(String name, NodeRecord.State state) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE cluster_nodes SET state = ? WHERE name = ?")) {
      ps.setString(1, state.name());
      ps.setString(2, name);
      return ps.executeUpdate() == 1;
    }
  }

  boolean delete(String name) throws SQLException {
    deleteVolumes(name);
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM cluster_nodes WHERE name = ?")) {
      ps.setString(1, name);
      return ps.executeUpdate() == 1;
    }
  }

  private void deleteVolumes(String node) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM cluster_volumes WHERE node = ?")) {
      ps.setString(1, node);
      ps.executeUpdate();
    }
  }

  private Map<String, Long> volumesOf(String node) throws SQLException {
    Map<String, Long> out = new LinkedHashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement("SELECT volume, free_bytes FROM cluster_volumes WHERE node = ?")) {
      ps.setString(1, node);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    return out;
  }

  private static NodeRecord read(ResultSet rs, Map<String, Long> volumes) throws SQLException {
    return new NodeRecord(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        Instant.ofEpochMilli(rs.getLong(5)),
        Instant.ofEpochMilli(rs.getLong(6)),
        NodeRecord.State.valueOf(rs.getString(7)),
        volumes);
  }

  boolean lease(String name, String holder, long untilMs, long nowMs) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO cluster_leases (name, holder, until_ms) VALUES (?, ?, ?)"
                + " ON CONFLICT (name) DO UPDATE SET holder = excluded.holder,"
                + " until_ms = excluded.until_ms"
                + " WHERE cluster_leases.until_ms < ? OR cluster_leases.holder = excluded.holder")) {
      ps.setString(1, name);
      ps.setString(2, holder);
      ps.setLong(3, untilMs);
      ps.setLong(4, nowMs);
      return ps.executeUpdate() == 1;
    }
  }

  long generation(String name) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT value FROM cluster_generations WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  void bump(String name) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO cluster_generations (name, value) VALUES (?, 1)"
                + " ON CONFLICT (name) DO UPDATE SET value = cluster_generations.value + 1")) {
      ps.setString(1, name);
      ps.executeUpdate();
    }
  }
}
