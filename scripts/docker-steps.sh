#!/usr/bin/env bash
# The Dockerfile's steps, without Docker: what the runtime image would hold
# (package files + `npm ci --omit=dev` + dist/) in a fresh directory, started the
# way the image starts it, probed the way its HEALTHCHECK probes it, then stopped
# with SIGTERM as `docker stop` does. Exit 0 = the image would work.
#   scripts/docker-steps.sh            (builds dist/ first unless SKIP_BUILD=1)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/backup-doctor-image.XXXXXX")"
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

step() { printf '== %s\n' "$*"; }

if [ "${SKIP_BUILD:-0}" != "1" ]; then
  step "build stage: npm run build"
  (cd "$repo" && npm run build --silent)
fi

step "runtime stage: package files + npm ci --omit=dev in $work"
cp "$repo/package.json" "$repo/package-lock.json" "$work/"
(cd "$work" && npm ci --omit=dev --no-audit --no-fund --loglevel=error)
if [ -d "$work/node_modules/typescript" ] || [ -d "$work/node_modules/tap" ]; then
  echo "dev dependencies leaked into the runtime install" >&2; exit 1
fi
cp -R "$repo/dist" "$work/dist"

port="$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
step "start: node dist/src/server.js on 127.0.0.1:$port (NODE_ENV=production, auth on)"
(
  cd "$work"
  exec env -i PATH="$PATH" HOME="$work" NODE_ENV=production PORT="$port" HOST=127.0.0.1 \
    BACKUP_DOCTOR_API_KEYS=image-check-key-0123456789 AWS_REGION=us-east-1 \
    AWS_ACCESS_KEY_ID=AKIDSANDBOX AWS_SECRET_ACCESS_KEY=x AWS_EC2_METADATA_DISABLED=true \
    AWS_ENDPOINT_URL=http://127.0.0.1:9 LOG_LEVEL=warn \
    node dist/src/server.js
) &
pid=$!

step "wait for /healthz"
for _ in $(seq 1 100); do
  if node -e "fetch('http://127.0.0.1:$port/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))" 2>/dev/null; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then echo "server exited early" >&2; exit 1; fi
  sleep 0.1
done

step "HEALTHCHECK command of the image"
PORT="$port" node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
body="$(node -e "fetch('http://127.0.0.1:$port/healthz').then(r=>r.text()).then(t=>console.log(t))")"
[ "$body" = '{"status":"ok"}' ] || { echo "unexpected /healthz body: $body" >&2; exit 1; }

step "/v1 requires the bearer token"
status="$(node -e "fetch('http://127.0.0.1:$port/v1/jobs/ABC/diagnosis').then(r=>console.log(r.status))")"
[ "$status" = "401" ] || { echo "expected 401 without a token, got $status" >&2; exit 1; }

step "docker stop: SIGTERM, graceful exit"
kill -TERM "$pid"
code=0
wait "$pid" || code=$?
pid=""
[ "$code" = "0" ] || { echo "server exited with $code after SIGTERM" >&2; exit 1; }
step "ok"
