package fr.coffre.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReusingSqliteConnectionTest {
  @TempDir Path dir;

  private ReusingSqliteConnection open() throws Exception {
    String file = dir.resolve("t.db").toString();
    ReusingSqliteConnection c = new ReusingSqliteConnection("jdbc:sqlite:" + file, file);
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)");
    }
    return c;
  }

  @Test
  void aStatementRunManyTimes_isCompiledOnce_andSeesEachCallsParameters() throws Exception {
    try (ReusingSqliteConnection c = open()) {
      for (int i = 0; i < 50; i++) {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (k, v) VALUES (?, ?)")) {
          ps.setInt(1, i);
          ps.setString(2, "v" + i);
          assertThat(ps.executeUpdate()).isEqualTo(1);
        }
      }
      for (int i = 0; i < 50; i++) {
        try (PreparedStatement ps = c.prepareStatement("SELECT v FROM t WHERE k = ?")) {
          ps.setInt(1, i);
          try (ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("v" + i);
          }
        }
      }
      assertThat(c.kept()).isEqualTo(2);
    }
  }

  @Test
  void aResultSetLeftHalfRead_doesNotLeakIntoTheNextUse() throws Exception {
    try (ReusingSqliteConnection c = open()) {
      try (Statement s = c.createStatement()) {
        s.execute("INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')");
      }
      String sql = "SELECT v FROM t WHERE k >= ? ORDER BY k";
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setInt(1, 1);
        ResultSet rs = ps.executeQuery(); // not closed by the caller: closing the statement does
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("a");
      }
      try (PreparedStatement ps = c.prepareStatement(sql);
          ResultSet rs = (prepare(ps, 3)).executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("c");
        assertThat(rs.next()).isFalse();
      }
    }
  }

  @Test
  void theSameSqlNestedInItself_getsItsOwnStatement() throws Exception {
    try (ReusingSqliteConnection c = open()) {
      try (Statement s = c.createStatement()) {
        s.execute("INSERT INTO t VALUES (1, 'a'), (2, 'b')");
      }
      String sql = "SELECT v FROM t WHERE k = ?";
      try (PreparedStatement outer = c.prepareStatement(sql);
          ResultSet o = prepare(outer, 1).executeQuery()) {
        assertThat(o.next()).isTrue();
        try (PreparedStatement inner = c.prepareStatement(sql);
            ResultSet i = prepare(inner, 2).executeQuery()) {
          assertThat(inner).isNotSameAs(outer);
          assertThat(i.next()).isTrue();
          assertThat(i.getString(1)).isEqualTo("b");
        }
        assertThat(o.getString(1)).isEqualTo("a");
      }
      assertThat(c.kept()).isEqualTo(1);
    }
  }

  private static PreparedStatement prepare(PreparedStatement ps, int k) throws Exception {
    ps.setInt(1, k);
    return ps;
  }
}
