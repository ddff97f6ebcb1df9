#!/usr/bin/env bash
# A private CA and a certificate for the central PostgreSQL, so worker hosts can verify whom they talk to
# (sslmode=verify-full). Writes into ops/tls/ (or $RECTIFY_TLS_DIR): ca.crt, ca.key, server.crt, server.key.
# An existing CA is kept (worker hosts that have its ca.crt keep working); the server certificate is new.
#   ops/make-certs.sh db.example.internal 10.0.0.5     # every name and address workers use for the server
# Then see ops/tls/README.md. Needs openssl.
set -euo pipefail
if [ $# -lt 1 ]; then
  echo "usage: ops/make-certs.sh NAME_OR_ADDRESS [MORE…]  (the names worker hosts connect to)" >&2
  exit 2
fi
DIR="${RECTIFY_TLS_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/tls}"
mkdir -p "$DIR"
cd "$DIR"
san=""
for name in "$@"; do
  if [[ "$name" =~ ^[0-9.]+$ || "$name" == *:* ]]; then san+="${san:+,}IP:$name"; else san+="${san:+,}DNS:$name"; fi
done
umask 077
if [ ! -f ca.crt ] || [ ! -f ca.key ]; then
  openssl req -x509 -new -nodes -newkey rsa:3072 -sha256 -days 3650 -subj "/CN=rectify CA" \
    -keyout ca.key -out ca.crt 2>/dev/null
fi
openssl req -new -nodes -newkey rsa:3072 -sha256 -subj "/CN=$1" -keyout server.key -out server.csr 2>/dev/null
printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n' "$san" > server.ext
openssl x509 -req -sha256 -days 825 -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial \
  -extfile server.ext -out server.crt 2>/dev/null
rm -f server.csr server.ext
chmod 644 ca.crt server.crt
chmod 600 ca.key server.key
# PostgreSQL reads the key as its own user (uid 999 in the postgres image) and wants it 0600.
if [ "$(id -u)" = 0 ]; then chown "${RECTIFY_PG_UID:-999}:${RECTIFY_PG_UID:-999}" server.key; fi
echo "wrote $DIR/{ca.crt,ca.key,server.crt,server.key} for: $san" >&2
[ "$(id -u)" = 0 ] || echo "now: sudo chown 999:999 $DIR/server.key  (the postgres image's user)" >&2
