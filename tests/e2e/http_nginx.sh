#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# End-to-end: yibao behind nginx, as docs/operations.md describes it. TLS
# ends at nginx (a throw-away certificate for 127.0.0.1), which proxies
# the interface to `yibao serve` on 127.0.0.1 over keep-alive connections,
# limits connections and requests per client address and its own
# deadlines. nginx runs from a temp dir (-p DIR -c FILE, its pid, logs and
# temp files there; 127.0.0.1 only, no root paths). Through it: healthz,
# 9001, 1101, a writing call, a body over nginx's limit (413), and the
# call log of yibao names every call.
source "$(dirname "$0")/lib.sh"
command -v curl >/dev/null || { echo "curl is required" >&2; exit 1; }
command -v openssl >/dev/null || { echo "openssl is required" >&2; exit 1; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || { echo "nginx is required (Debian package nginx-light)" >&2; exit 1; }

YEAR=$(date +%Y)
DB=$TMP/nginx.db
INST=H53010200001
POLICY=tests/data/enrol/synth-2018.json

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
    -keyout "$TMP/key.pem" -out "$TMP/cert.pem" 2>/dev/null
small_region "$DB" "$INST"
SECRET=$(cat "$TMP/secret.$INST")

start_server "$DB" "$POLICY" --log "$TMP/calls.log"
NGINX_PID=
trap 'kill $SERVER 2>/dev/null || true; [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null; rm -rf "$TMP"' EXIT

# the configuration of docs/operations.md, with this test's paths and ports
write_conf() { # write_conf NGINX_PORT
    cat > "$TMP/nginx.conf" <<CONF
worker_processes 1;
pid $TMP/nginx.pid;
error_log $TMP/nginx-error.log;
events { worker_connections 512; }
http {
    access_log $TMP/nginx-access.log;
    client_body_temp_path $TMP/nginx-body;
    proxy_temp_path $TMP/nginx-proxy;
    fastcgi_temp_path $TMP/nginx-fastcgi;
    uwsgi_temp_path $TMP/nginx-uwsgi;
    scgi_temp_path $TMP/nginx-scgi;

    limit_conn_zone \$binary_remote_addr zone=per_ip:10m;
    limit_req_zone \$binary_remote_addr zone=calls:10m rate=200r/s;
    upstream yibao {
        server 127.0.0.1:$PORT;
        keepalive 32;
    }
    server {
        listen 127.0.0.1:$1 ssl;
        ssl_certificate $TMP/cert.pem;
        ssl_certificate_key $TMP/key.pem;
        ssl_protocols TLSv1.2 TLSv1.3;

        client_header_timeout 10s;
        client_body_timeout 10s;
        keepalive_timeout 30s;
        client_max_body_size 1m;
        client_body_buffer_size 1m;
        limit_conn per_ip 100;
        limit_req zone=calls burst=400 nodelay;
        limit_conn_status 503;
        limit_req_status 503;

        location = /fsi/api/rsfComIfsService/callService {
            proxy_pass http://yibao;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_read_timeout 60s;
        }
        location = /healthz {
            proxy_pass http://yibao;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }
        location / { return 404; }

        # nginx's own refusals in the interface's envelope too
        error_page 413 = @too_big;
        error_page 503 = @busy;
        location @too_big {
            default_type "application/json; charset=utf-8";
            return 413 '{"infcode":-1,"inf_refmsgid":"","refmsg_time":"","respond_time":"","err_msg":"[YB0002] 请求报文超过 1 MiB (body too large)","warn_msg":"","output":{}}';
        }
        location @busy {
            default_type "application/json; charset=utf-8";
            return 503 '{"infcode":-1,"inf_refmsgid":"","refmsg_time":"","respond_time":"","err_msg":"[YB0012] 连接或请求过多，请稍后重试 (too many connections or requests)","warn_msg":"","output":{}}';
        }
    }
}
CONF
}

# a free port: nginx says when it cannot bind one, then another is tried
for _ in $(seq 10); do
    NPORT=$((20000 + RANDOM % 40000))
    write_conf "$NPORT"
    "$NGINX" -p "$TMP" -c "$TMP/nginx.conf" -e "$TMP/nginx-error.log" \
        -g 'daemon off;' 2>>"$TMP/nginx-start.log" &
    NGINX_PID=$!
    for _ in $(seq 50); do
        curl -s -m 1 --cacert "$TMP/cert.pem" -o /dev/null \
            "https://127.0.0.1:$NPORT/healthz" && break
        kill -0 "$NGINX_PID" 2>/dev/null || break
        sleep 0.1
    done
    kill -0 "$NGINX_PID" 2>/dev/null && break
    NGINX_PID=
done
expect_eq "nginx runs from the temp dir" 1 "$([ -n "$NGINX_PID" ] && echo 1)"
FRONT=https://127.0.0.1:$NPORT

SERIAL=0
call() { # call INFNO INPUT [SIGN_NO] [CAINFO]: POST through nginx
    SERIAL=$((SERIAL + 1))
    hosp_envelope "$1" "$2" "${3:-}" "${4:-}" "$INST" \
        "$(printf '%s20261122100000%04d' "$INST" "$SERIAL")" > "$TMP/body"
    STATUS=$(curl -s -m 10 --cacert "$TMP/cert.pem" -o "$OUT" -w '%{http_code}' \
        --data-binary "@$TMP/body" "$FRONT/fsi/api/rsfComIfsService/callService" || true)
}
expect_eq "healthz through nginx over HTTPS" '{"status":"ok"}' \
    "$(curl -s -m 10 --cacert "$TMP/cert.pem" "$FRONT/healthz")"
call 9001 '{"signIn":{"opter_no":"001"}}' "" "$SECRET"
expect_jq "9001 through nginx" .infcode 0
SIGN=$(jq -r .output.signinoutb.sign_no "$OUT")
call 1101 "{\"data\":{\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$CERTNO\"}}" "$SIGN"
expect_jq "1101 through nginx finds the person" .output.baseinfo.psn_no "$PSN_NO"
call 2201 "{\"data\":{\"psn_no\":\"$PSN_NO\",\"insutype\":\"390\",\"begntime\":\"$YEAR-01-02 09:00:00\",\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$CERTNO\",\"ipt_otp_no\":\"N1\"}}" "$SIGN"
expect_eq "a writing call through nginx is answered (HTTP 200, an envelope)" "200 true" \
    "$STATUS $(jq '.infcode == 0 or .infcode == -1' "$OUT")"
head -c 1100000 /dev/zero | tr '\0' ' ' > "$TMP/big.body"
expect_eq "a body over nginx's 1 MiB is refused there (413)" 413 \
    "$(curl -s -m 10 --cacert "$TMP/cert.pem" -o "$OUT" -w '%{http_code}' \
        --data-binary "@$TMP/big.body" "$FRONT/fsi/api/rsfComIfsService/callService")"
expect_refused "nginx's refusal is an envelope too" "[YB0002]" "请求报文超过 1 MiB"
expect_eq "plain HTTP to nginx's TLS port is refused (400)" 400 \
    "$(curl -s -m 10 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$NPORT/healthz")"
kill -TERM "$SERVER"
wait "$SERVER" || true
expect_eq "yibao logged the three calls nginx passed on" 3 \
    "$(grep -c ' infno=' "$TMP/calls.log")"
expect_eq "nginx logged them too" 1 \
    "$([ "$(grep -c 'callService' "$TMP/nginx-access.log")" -ge 4 ] && echo 1)"
kill "$NGINX_PID"
wait "$NGINX_PID" 2>/dev/null || true
NGINX_PID=

finish
