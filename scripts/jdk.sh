# Sourced by ./coffre and ./run-tests: sets JAVA_HOME to a JDK >= 21 (the first that fits among
# $JAVA_HOME, the `java` on PATH, and /usr/lib/jvm/*), or fails with a clear message.
java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}
find_jdk() {
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for d in /usr/lib/jvm/*; do [ -d "$d" ] && candidates+=("$d"); done
  local best="" best_major=0 c m
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    m=$(java_major "$c"); m=${m%%.*}
    [ -n "$m" ] || continue
    if [ "$m" -ge 21 ] && [ "$m" -gt "$best_major" ]; then best="$c"; best_major=$m; fi
  done
  if [ -z "$best" ]; then
    echo "coffre: no JDK 21 or newer found (looked at JAVA_HOME, PATH and /usr/lib/jvm)." >&2
    echo "        Install one, e.g. 'apt-get install openjdk-21-jdk-headless' or Temurin 21+." >&2
    return 1
  fi
  export JAVA_HOME="$best"
}
