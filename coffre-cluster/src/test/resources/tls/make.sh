#!/usr/bin/env bash
# Remakes the test PKI of the internal API's TLS tests (valid 100 years, EC P-256, PKCS#8 keys):
#   ca.pem            the cluster CA
#   node-a.*, node-b.* nodes' certificates from it (IP:127.0.0.1, DNS:localhost; server and client)
#   elsewhere.*       a certificate from it for 192.0.2.1 only (a peer reached by the wrong address)
#   other-ca.pem, intruder.*   another CA, and a certificate from it for 127.0.0.1
# Test material only: these keys are public.
set -euo pipefail
cd "$(dirname "$0")"
ca() { # NAME
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 -days 36500 \
    -keyout "$1.key" -out "$1.pem" -subj "/CN=$1/O=Coffre tests" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    2>/dev/null
}
leaf() { # NAME CA SAN
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 \
    -keyout "$1.key" -out "$1.csr" -subj "/CN=$1/O=Coffre tests" 2>/dev/null
  openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial -days 36500 \
    -sha256 -out "$1.pem" -extfile <(printf '%s\n' "subjectAltName=$3" \
      "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
      "extendedKeyUsage=serverAuth,clientAuth") 2>/dev/null
  rm -f "$1.csr"
}
ca ca
leaf node-a ca "IP:127.0.0.1,DNS:localhost"
leaf node-b ca "IP:127.0.0.1,DNS:localhost"
leaf elsewhere ca "IP:192.0.2.1"
ca other-ca
leaf intruder other-ca "IP:127.0.0.1,DNS:localhost"
rm -f ./*.srl ca.key other-ca.key
