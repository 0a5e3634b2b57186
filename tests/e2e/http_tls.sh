#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# End-to-end: `yibao serve --tls-cert FILE --tls-key FILE` serves the
# hospital interface over HTTPS (libmicrohttpd with GnuTLS). A throw-away
# certificate for 127.0.0.1 (openssl, valid two days from now); curl with
# --cacert signs in, looks a person up and registers a visit; plain HTTP on
# the port gets nothing; a client that does not trust the certificate is
# refused; only one of the two files, an unreadable one, or a key that is
# not the certificate's, stops the server with a message naming it.
source "$(dirname "$0")/lib.sh"
command -v curl >/dev/null || { echo "curl is required" >&2; exit 1; }
command -v openssl >/dev/null || { echo "openssl is required" >&2; exit 1; }

YEAR=$(date +%Y)
DB=$TMP/tls.db
INST=H53010200001
POLICY=tests/data/enrol/synth-2018.json

# certificate and key for 127.0.0.1 (P-256), and another key
tls_pair() { # tls_pair CERT KEY
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
        -days 2 -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
        -keyout "$2" -out "$1" 2>/dev/null
}
tls_pair "$TMP/cert.pem" "$TMP/key.pem"
tls_pair "$TMP/other.pem" "$TMP/other.key"
expect_eq "a throw-away certificate" 1 "$([ -s "$TMP/cert.pem" ] && [ -s "$TMP/key.pem" ] && echo 1)"

small_region "$DB" "$INST"
SECRET=$(cat "$TMP/secret.$INST")

# ---- refusals at start ---------------------------------------------------------
run serve --db "$DB" --listen 127.0.0.1:0 --tls-cert "$TMP/cert.pem"
expect_error "a certificate without its key" 1 "--tls-cert and --tls-key go together"
run serve --db "$DB" --listen 127.0.0.1:0 --tls-cert "$TMP/cert.pem" --tls-key "$TMP/nope.pem"
expect_error "an unreadable key" 2 "--tls-cert" "无法读取" "$TMP/nope.pem"
run serve --db "$DB" --listen 127.0.0.1:0 --tls-cert "$TMP/cert.pem" --tls-key "$TMP/other.key"
expect_error "a key that is not the certificate's" 2 "--tls-cert" "$TMP/cert.pem" "$TMP/other.key" "无法一同载入"

# ---- HTTPS -------------------------------------------------------------------------
start_server "$DB" "$POLICY" --tls-cert "$TMP/cert.pem" --tls-key "$TMP/key.pem" --log "$TMP/calls.log"
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$TMP"' EXIT
HTTPS=https://127.0.0.1:$PORT/fsi/api/rsfComIfsService/callService
SERIAL=0
call() { # call INFNO INPUT [SIGN_NO] [CAINFO]: POST over HTTPS
    SERIAL=$((SERIAL + 1))
    hosp_envelope "$1" "$2" "${3:-}" "${4:-}" "$INST" \
        "$(printf '%s20261122100000%04d' "$INST" "$SERIAL")" > "$TMP/body"
    STATUS=$(curl -s -m 10 --cacert "$TMP/cert.pem" -o "$OUT" -w '%{http_code}' \
        --data-binary "@$TMP/body" "$HTTPS" || true)
}
expect_eq "healthz over HTTPS" '{"status":"ok"}' \
    "$(curl -s -m 10 --cacert "$TMP/cert.pem" "https://127.0.0.1:$PORT/healthz")"
call 9001 '{"signIn":{"opter_no":"001"}}' "" "$SECRET"
expect_jq "9001 over HTTPS" .infcode 0
SIGN=$(jq -r .output.signinoutb.sign_no "$OUT")
call 1101 "{\"data\":{\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$CERTNO\"}}" "$SIGN"
expect_jq "1101 over HTTPS finds the person" .output.baseinfo.psn_no "$PSN_NO"
call 2201 "{\"data\":{\"psn_no\":\"$PSN_NO\",\"insutype\":\"390\",\"begntime\":\"$YEAR-01-02 09:00:00\",\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$CERTNO\",\"ipt_otp_no\":\"T1\"}}" "$SIGN"
expect_eq "a writing call over HTTPS is answered (HTTP 200, an envelope)" "200 true" \
    "$STATUS $(jq '.infcode == 0 or .infcode == -1' "$OUT")"
set +e
curl -s -m 5 -o /dev/null "https://127.0.0.1:$PORT/healthz"
UNTRUSTED=$?
curl -s -m 5 -o "$TMP/plain" "http://127.0.0.1:$PORT/healthz"
PLAIN=$?
set -e
expect_eq "a client that does not trust the certificate is refused (curl 60)" 60 "$UNTRUSTED"
expect_eq "plain HTTP on the HTTPS port gets no answer" "1 0" \
    "$([ "$PLAIN" -ne 0 ] && echo 1 || echo 0) $(wc -c < "$TMP/plain" 2>/dev/null || echo 0)"
kill -TERM $SERVER
wait $SERVER || true
expect_eq "the calls are logged" 3 "$(grep -c ' infno=' "$TMP/calls.log")"

finish
