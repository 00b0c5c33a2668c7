#!/usr/bin/env bash
# A throw-away CA and a server certificate for 127.0.0.1 / localhost / ::1, for the HTTPS moto
# server of the sync tests. Idempotent: reuses what exists in the directory given.
set -euo pipefail
dir="${1:?usage: make-ca.sh DIR}"
mkdir -p "$dir"
cd "$dir"
[[ -s server.pem && -s server.key && -s ca.pem ]] && exit 0
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=Group Console test CA" \
  -keyout ca.key -out ca.pem -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout server.key -out server.csr 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' > ext.cnf
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 \
  -extfile ext.cnf -out server.pem 2>/dev/null
# Chromium trusts the server key through --ignore-certificate-errors-spki-list (see
# tests/e2e/backend.mjs): base64 of the SHA-256 of its public key.
openssl x509 -in server.pem -pubkey -noout | openssl pkey -pubin -outform der \
  | openssl dgst -sha256 -binary | base64 > spki.txt
