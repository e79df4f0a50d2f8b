#!/usr/bin/env bash
# Creates a self-signed certificate for a first HTTPS start on this machine (localhost, 127.0.0.1,
# ::1): DIR/cert.pem and DIR/key.pem (EC P-256, PKCS#8, mode 0600), valid 365 days.
#   scripts/dev-tls-cert.sh [DIR]            default DIR: ./tls
# Then: ./coffre server --tls-cert DIR/cert.pem --tls-key DIR/key.pem
#       aws --endpoint-url https://127.0.0.1:7070 --ca-bundle DIR/cert.pem s3 ls
# Not for production: use a certificate from your PKI there.
set -euo pipefail
dir="${1:-tls}"
mkdir -p "$dir"
umask 077
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 -days 365 \
  -keyout "$dir/key.pem" -out "$dir/cert.pem" -subj "/CN=localhost/O=Coffre development" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,digitalSignature,keyCertSign" \
  -addext "extendedKeyUsage=serverAuth" 2>/dev/null
chmod 600 "$dir/key.pem"
echo "wrote $dir/cert.pem and $dir/key.pem"
