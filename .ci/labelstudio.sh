#!/usr/bin/env bash
# The real Label Studio integration test (pytest marker `labelstudio`).
#
# Installs label-studio in an environment of its own (it pins Django and
# friends that solieu must not share), starts it on 127.0.0.1 with a temporary
# data directory and a known user and API token, runs
# tests/labelstudio/test_real_labelstudio.py against it, and stops it.
# About 2.5 min for the first install, then ~10-40 s to start and ~15 s to test.
#
#   .ci/labelstudio.sh                 # LS_VENV=/tmp/ls-venv, reused when present
#   LS_VENV=/path/venv LS_PORT=8089 .ci/labelstudio.sh
set -euo pipefail
cd "$(dirname "$0")/.."

LS_VERSION="1.23.2"
LS_VENV="${LS_VENV:-/tmp/ls-venv}"
PY="${SOLIEU_PYTHON:-$( [ -x .venv/bin/python ] && echo .venv/bin/python || echo python3 )}"
LS_PORT="${LS_PORT:-$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}"
LS_DATA="$(mktemp -d /tmp/solieu-ls-data.XXXXXX)"
LS_USER="solieu-ci@example.com"
LS_PASSWORD="$("$PY" -c 'import secrets; print(secrets.token_urlsafe(16))')"
LS_TOKEN="$("$PY" -c 'import secrets; print(secrets.token_hex(20))')"
t0=$(date +%s)

if ! "$LS_VENV/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('label-studio') != '$LS_VERSION' or int(m.version('sentry-sdk').split('.')[0]) >= 3)" 2>/dev/null; then
  echo "== installing label-studio==$LS_VERSION into $LS_VENV"
  python3 -m venv "$LS_VENV"
  "$LS_VENV/bin/pip" install --quiet --upgrade pip
  # label-studio sets no upper bound on sentry-sdk, and sentry-sdk 3 refuses the options it passes
  # (`TypeError: Unknown option 'send_default_pii'` at start-up).
  "$LS_VENV/bin/pip" install --quiet "label-studio==$LS_VERSION" "sentry-sdk<3"
fi
t1=$(date +%s)
echo "== label-studio $LS_VERSION ready in $LS_VENV ($((t1 - t0)) s)"

# Offline and local: no version check or analytics; allow an ML backend and
# its webhook on 127.0.0.1 (ML_BLOCK_LOCAL_IP guards the backend URL,
# SSRF_PROTECTION_ENABLED the webhook Label Studio registers for it).
export LATEST_VERSION_CHECK=false COLLECT_ANALYTICS=false ML_BLOCK_LOCAL_IP=false SSRF_PROTECTION_ENABLED=false
setsid "$LS_VENV/bin/label-studio" start --no-browser --internal-host 127.0.0.1 --port "$LS_PORT" \
  --data-dir "$LS_DATA" --username "$LS_USER" --password "$LS_PASSWORD" --user-token "$LS_TOKEN" \
  --enable-legacy-api-token > "$LS_DATA/label-studio.log" 2>&1 &
LS_PID=$!
cleanup() {
  # Label Studio's dev server forks; its session (started by setsid above) is ours alone.
  kill -- "-$LS_PID" 2>/dev/null || kill "$LS_PID" 2>/dev/null || true
  wait "$LS_PID" 2>/dev/null || true
  rm -rf "$LS_DATA"
}
trap cleanup EXIT

for _ in $(seq 1 240); do
  if curl -fsS -o /dev/null "http://127.0.0.1:$LS_PORT/health" 2>/dev/null; then break; fi
  if ! kill -0 "$LS_PID" 2>/dev/null; then cat "$LS_DATA/label-studio.log" >&2; echo "label-studio exited" >&2; exit 1; fi
  sleep 1
done
curl -fsS -o /dev/null "http://127.0.0.1:$LS_PORT/health" || { tail -50 "$LS_DATA/label-studio.log" >&2; exit 1; }
t2=$(date +%s)
echo "== label-studio up on 127.0.0.1:$LS_PORT ($((t2 - t1)) s)"

status=0
LABEL_STUDIO_URL="http://127.0.0.1:$LS_PORT" LABEL_STUDIO_API_KEY="$LS_TOKEN" \
  "$PY" -m pytest -q -m labelstudio -p no:cacheprovider tests/labelstudio/test_real_labelstudio.py || status=$?
t3=$(date +%s)
[ "$status" -eq 0 ] || tail -40 "$LS_DATA/label-studio.log" >&2
echo "== real Label Studio test: $([ "$status" -eq 0 ] && echo passed || echo FAILED) in $((t3 - t2)) s; total $((t3 - t0)) s"
exit "$status"
