#!/usr/bin/env bash
# Installs the built Debian package with apt and starts the installed server binary (not through
# systemd, which CI lacks) on a scratch data directory: /health/ready must answer 200, an S3
# request must be answered, and `coffre config check` must accept the installed configuration.
# Needs root. Run after the build: packaging/test-deb.sh
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
deb="$(ls -t "$here"/coffre-cli/target/coffre_*_all.deb | head -1)"
export DEBIAN_FRONTEND=noninteractive

# The package depends on a Java >= 21 runtime package. Debian 12 ships none; when this machine's
# JDK came from a tarball (e.g. Temurin in /usr/lib/jvm), a local stand-in package declares it.
stand_in() {
  local stub
  stub="$(mktemp -d)"
  mkdir -p "$stub/DEBIAN"
  cat > "$stub/DEBIAN/control" <<CONTROL
Package: coffre-test-java-runtime
Version: 1.0
Architecture: all
Maintainer: Coffre CI <ci@coffre.invalid>
Provides: java25-runtime-headless
Description: CI stand-in: the machine's tarball JDK in /usr/lib/jvm provides Java 25
CONTROL
  dpkg-deb --build "$stub" "$stub.deb" >/dev/null
  dpkg -i "$stub.deb" >/dev/null
}
if ! apt-get install -y -qq "$deb" >/dev/null 2>&1; then
  echo "test-deb: no Java >= 21 runtime package here; installing a stand-in for the tarball JDK"
  stand_in
  apt-get install -y -qq "$deb" >/dev/null
fi
test -x /usr/bin/coffre
test -f /lib/systemd/system/coffre.service
getent passwd coffre >/dev/null
[ "$(stat -c %a /var/lib/coffre)" = 700 ]
/usr/bin/coffre config check /etc/coffre/coffre.yaml
if command -v systemd-analyze >/dev/null 2>&1; then
  systemd-analyze verify /lib/systemd/system/coffre.service
  systemd-analyze security --offline=true /lib/systemd/system/coffre.service 2>/dev/null | tail -1
fi

data="$(mktemp -d)"
port=$(( 20000 + RANDOM % 20000 )); ops=$(( port + 1 ))
COFFRE_ROOT_ACCESS_KEY=debtestkey COFFRE_ROOT_SECRET_KEY=debtestsecret0123 \
  /usr/bin/coffre server --data "$data" --address "127.0.0.1:$port" --ops-address "127.0.0.1:$ops" > "$data.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  if curl -sf "http://127.0.0.1:$ops/health/ready" >/dev/null; then break; fi
  sleep 1
done
curl -sf "http://127.0.0.1:$ops/health/ready" >/dev/null || { echo "test-deb: server not ready"; cat "$data.log"; exit 1; }
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/")
[ "$code" = 403 ] || { echo "test-deb: S3 answered $code, expected 403 without credentials"; exit 1; }
kill $pid; wait $pid 2>/dev/null || true
trap - EXIT
apt-get remove -y -qq coffre >/dev/null
echo "test-deb: $(basename "$deb") installed, served /health/ready and S3, removed"
