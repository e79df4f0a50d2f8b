#!/usr/bin/env bash
# Installs the built Debian package with apt, without any Java package to lean on (the package
# carries its runtime), and runs what it installed:
# - the installed binary, as the service account, with JAVA_HOME and PATH pointing at a Java that
#   fails: /health/ready, S3 refusing an unsigned request, a signed PUT and GET (curl's SigV4) whose
#   blob lands on a volume under /srv/coffre, the root key in SoftHSM2 when it is installed (the
#   runtime's PKCS#11 provider), jcmd from the runtime;
# - the drop-in example (/usr/share/doc/coffre/examples/override.conf) with ReadWritePaths= naming
#   that volume: checked by systemd-analyze, and when systemd runs this machine (PID 1) coffre.service
#   is started with it and must write the volume through its sandbox;
# then purges the package. Needs root. Run after the build: packaging/test-deb.sh
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
deb="$(ls -t "$here"/coffre-cli/target/coffre_*_"$(dpkg --print-architecture)".deb | head -1)"
export DEBIAN_FRONTEND=noninteractive
fail() { echo "test-deb: $*" >&2; exit 1; }

# An earlier version of this script installed a stand-in "Java runtime" package: it must not help.
if dpkg -s coffre-test-java-runtime >/dev/null 2>&1; then apt-get purge -y -qq coffre-test-java-runtime >/dev/null; fi
if dpkg-deb -f "$deb" Depends | grep -qiE 'java|jre|jdk'; then fail "the package still depends on a Java package"; fi
before="$(dpkg-query -W -f '${Package}\n' | sort)"
apt-get install -y -qq --no-install-recommends "$deb" >/dev/null
pulled="$(comm -13 <(echo "$before") <(dpkg-query -W -f '${Package}\n' | sort) | grep -v '^coffre$' || true)"
if grep -iE 'java|jre|jdk' <<<"$pulled"; then fail "installing coffre pulled the Java packages above"; fi

test -x /usr/bin/coffre
test -f /lib/systemd/system/coffre.service
test -f /usr/share/doc/coffre/examples/override.conf
getent passwd coffre >/dev/null
[ "$(stat -c %a /var/lib/coffre)" = 700 ]
runtime=/usr/lib/coffre/runtime
modules="$("$runtime/bin/java" --list-modules)"
for m in java.base java.sql java.naming java.management jdk.crypto.cryptoki jdk.crypto.ec jdk.unsupported jdk.jfr jdk.zipfs; do
  grep -q "^$m@" <<<"$modules" || fail "the runtime lacks $m"
done
/usr/bin/coffre config check /etc/coffre/coffre.yaml

# Scratch space where the drop-in example puts volumes (not /tmp: the unit has its own).
created_srv=""
[ -d /srv/coffre ] || { mkdir -p /srv/coffre; created_srv=yes; }
work="$(mktemp -d /srv/coffre/deb-test.XXXXXX)"
install -d -o coffre -g coffre -m 0700 "$work/data" "$work/volume" "$work/tokens"
chmod 0755 "$work"
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  if [ -d /run/systemd/system ]; then systemctl stop coffre 2>/dev/null || true; fi
  rm -rf /etc/systemd/system/coffre.service.d/override.conf /run/systemd/system/coffre.service.d/zz-deb-test.conf
  rmdir /etc/systemd/system/coffre.service.d /run/systemd/system/coffre.service.d 2>/dev/null || true
  if [ -d /run/systemd/system ]; then systemctl daemon-reload || true; fi
  rm -rf "$work"
  if [ -n "$created_srv" ]; then rmdir /srv/coffre 2>/dev/null || true; fi
}
trap cleanup EXIT

port=$(( 20000 + RANDOM % 20000 )); ops=$(( port + 1 ))
cat > "$work/coffre.yaml" <<YAML
data: $work/data
address: 127.0.0.1:$port
ops-address: 127.0.0.1:$ops
admin-address: "off"
console-address: "off"
placement:
  locations:
    - site: deb-test
      country: FR
      jurisdiction: EU
      volumes:
        - name: v1
          path: $work/volume
YAML
chmod 0644 "$work/coffre.yaml"
/usr/bin/coffre config check "$work/coffre.yaml"

key=debtestkey secret=debtestsecret0123
s3() { curl -sS -o "$work/answer" -w '%{http_code}' --aws-sigv4 "aws:amz:us-east-1:s3" --user "$key:$secret" \
         -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" "$@"; }
# Waits for /health/ready; gives up early when the server ($pid, or else coffre.service) has died.
wait_ready() {
  for _ in $(seq 1 90); do
    if curl -sf "http://127.0.0.1:$ops/health/ready" >/dev/null; then return 0; fi
    if [ -n "$pid" ]; then kill -0 "$pid" 2>/dev/null || return 1; elif systemctl is-failed --quiet coffre; then return 1; fi
    sleep 1
  done
  return 1
}
# The S3 checks; $1 names the bucket. The object's blob must land on the volume.
exercise() {
  local bucket="$1" code
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/")
  [ "$code" = 403 ] || fail "S3 answered $code, expected 403 without credentials"
  code=$(s3 -X PUT "http://127.0.0.1:$port/$bucket")
  [ "$code" = 200 ] || fail "CreateBucket answered $code: $(cat "$work/answer")"
  echo "coffre from its own runtime" > "$work/object"
  code=$(s3 -X PUT --data-binary "@$work/object" "http://127.0.0.1:$port/$bucket/hello.txt")
  [ "$code" = 200 ] || fail "PutObject answered $code: $(cat "$work/answer")"
  code=$(s3 "http://127.0.0.1:$port/$bucket/hello.txt")
  [ "$code" = 200 ] && cmp -s "$work/answer" "$work/object" || fail "GetObject answered $code: $(cat "$work/answer")"
  [ -n "$(find "$work/volume" -type f -newer "$work/object")" ] || fail "no blob was written on the volume $work/volume"
}

# The installed binary, as the service account, with a decoy Java in JAVA_HOME and on PATH.
mkdir -p "$work/decoy/bin"
printf '#!/bin/sh\necho "decoy java called" >&2\nexit 97\n' > "$work/decoy/bin/java"
chmod 0755 "$work/decoy" "$work/decoy/bin" "$work/decoy/bin/java"
env=(PATH="$work/decoy/bin:/usr/sbin:/usr/bin:/sbin:/bin" JAVA_HOME="$work/decoy" HOME=/var/lib/coffre
     COFFRE_CONFIG="$work/coffre.yaml" COFFRE_ROOT_ACCESS_KEY="$key" COFFRE_ROOT_SECRET_KEY="$secret")
hsm=""
if [ -r /usr/lib/softhsm/libsofthsm2.so ] && command -v softhsm2-util >/dev/null; then
  printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' "$work/tokens" > "$work/softhsm2.conf"
  chmod 0644 "$work/softhsm2.conf"
  slot="$(SOFTHSM2_CONF="$work/softhsm2.conf" setpriv --reuid=coffre --regid=coffre --clear-groups \
            softhsm2-util --init-token --free --label coffre --pin 4711-coffre --so-pin so-4711-coffre \
          | sed -n 's/.*reassigned to slot \([0-9]*\).*/\1/p')"
  [ -n "$slot" ] || fail "SoftHSM2 made no token"
  env+=(SOFTHSM2_CONF="$work/softhsm2.conf" COFFRE_PKCS11_LIBRARY=/usr/lib/softhsm/libsofthsm2.so
        COFFRE_PKCS11_SLOT="$slot" COFFRE_PKCS11_PIN=4711-coffre)
  hsm=yes
fi
env -i "${env[@]}" setpriv --reuid=coffre --regid=coffre --clear-groups \
  /usr/bin/coffre server > "$work/server.log" 2>&1 &
pid=$!
wait_ready || { cat "$work/server.log"; fail "the installed server did not become ready"; }
[ "$(readlink "/proc/$pid/exe")" = "$runtime/bin/java" ] || fail "the server runs on $(readlink "/proc/$pid/exe"), not $runtime"
[ "$(stat -c %U "/proc/$pid")" = coffre ] || fail "the server does not run as coffre"
exercise direct
if [ -n "$hsm" ]; then
  grep -q 'root key pkcs11:coffre-root is in the HSM' "$work/server.log" || { cat "$work/server.log"; fail "the root key is not in SoftHSM2"; }
fi
setpriv --reuid=coffre --regid=coffre --clear-groups "$runtime/bin/jcmd" "$pid" VM.version | grep -q 'JDK' \
  || fail "jcmd from the runtime could not reach the server"
if grep -E 'NoClassDefFoundError|ClassNotFoundException|ServiceConfigurationError|UnsatisfiedLinkError' "$work/server.log"; then
  fail "the server's log shows a class or library missing from the runtime"
fi
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""

# The drop-in example, its volume line naming the test volume.
mkdir -p /etc/systemd/system/coffre.service.d
sed "s|^ReadWritePaths=/srv/coffre/p1a /srv/coffre/p1b\$|ReadWritePaths=$work/volume|" \
  /usr/share/doc/coffre/examples/override.conf > /etc/systemd/system/coffre.service.d/override.conf
grep -qx "ReadWritePaths=$work/volume" /etc/systemd/system/coffre.service.d/override.conf \
  || fail "the drop-in example has no ReadWritePaths=/srv/coffre/p1a /srv/coffre/p1b line to adapt"
if command -v systemd-analyze >/dev/null 2>&1; then
  verify="$(systemd-analyze verify coffre.service 2>&1 || true)"
  if grep -i 'coffre' <<<"$verify"; then fail "systemd-analyze verify complains about coffre.service or its drop-in"; fi
  systemd-analyze security --offline=true coffre.service 2>/dev/null | tail -1
fi
if [ -d /run/systemd/system ]; then
  # The unit reads this test's configuration and may also write its data directory.
  mkdir -p /run/systemd/system/coffre.service.d
  cat > /run/systemd/system/coffre.service.d/zz-deb-test.conf <<UNIT
[Service]
Environment=COFFRE_CONFIG=$work/coffre.yaml COFFRE_ROOT_ACCESS_KEY=$key COFFRE_ROOT_SECRET_KEY=$secret
ReadWritePaths=$work/data
UNIT
  rm -rf "$work/data" "$work/volume"
  install -d -o coffre -g coffre -m 0700 "$work/data" "$work/volume"
  systemctl daemon-reload
  systemctl start coffre
  wait_ready || { journalctl -u coffre --no-pager -n 50; fail "coffre.service did not become ready"; }
  exercise unit
  systemctl stop coffre
  how="coffre.service started with the drop-in wrote its volume"
else
  how="systemd is not PID 1 here: the drop-in was checked with systemd-analyze, the binary run directly"
fi
cleanup
trap - EXIT
apt-get purge -y -qq coffre >/dev/null
[ ! -e "$runtime" ] || fail "$runtime is left after purge"
echo "test-deb: $(basename "$deb") installed with no Java package, served S3 from its runtime${hsm:+ (root key in SoftHSM2)}; $how; purged"
