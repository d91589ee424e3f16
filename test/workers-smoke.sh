#!/usr/bin/env bash
# Workers smoke test: boots the real worker (wrangler.toml at the repo root) in local workerd with
# `wrangler dev --local`, its Hyperdrive binding pointed at DATABASE_URL, then checks fetch and
# scheduled once and tears everything down.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/plaudit bash test/workers-smoke.sh
#
# The database must already be migrated (`npm run db:migrate`); the worker never migrates.
# Optional: PLAUDIT_SECRET, PLAUDIT_ADMIN_TOKEN (made up when unset), SMOKE_WAIT_SECS (default 60).
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:?DATABASE_URL must point at a migrated Postgres database}"

export CI=true                           # non-interactive: no hotkeys, prompts fall back to defaults
export WRANGLER_SEND_METRICS=false       # no telemetry
export WRANGLER_SEND_ERROR_REPORTS=false # no "report this error?" prompt on a crash
export CLOUDFLARE_CF_FETCH_ENABLED=false # don't fetch workers.cloudflare.com/cf.json

# Hyperdrive's local origin: miniflare refuses a URL without a password, even under trust auth,
# so add one when missing (trust auth ignores it).
CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE="$(node -e '
const u = new URL(process.argv[1]);
if (!u.username) u.username = process.env.PGUSER || require("os").userInfo().username;
if (!u.password) u.password = "smoke";
console.log(u.toString());' "$DATABASE_URL")"
export CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE

SECRET="${PLAUDIT_SECRET:-smoke-secret-0123456789abcdefghijklmnopqrstuvwxyz}"
ADMIN_TOKEN="${PLAUDIT_ADMIN_TOKEN:-smoke-operator-$(node -e 'console.log(require("crypto").randomBytes(12).toString("hex"))')}"
WAIT_SECS="${SMOKE_WAIT_SECS:-60}"
LOG="$(mktemp -t plaudit-worker-smoke.XXXXXX)"
now_ms() { echo $(($(date +%s%N) / 1000000)); }
free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
PORT="$(free_port)"
INSPECTOR_PORT="$(free_port)" # the inspector defaults to 9229: pin it too, so parallel runs don't clash
BASE="http://127.0.0.1:$PORT"

t0=$(now_ms)
# setsid: wrangler and its workerd/esbuild children get their own process group, killed as a unit.
# --log-level log: the app's JSON log lines are console.log calls, hidden at wrangler's default level.
setsid ./node_modules/.bin/wrangler dev --local --ip 127.0.0.1 --port "$PORT" --inspector-port "$INSPECTOR_PORT" \
  --show-interactive-dev-session=false --log-level log \
  --var "PLAUDIT_SECRET:$SECRET" --var "PLAUDIT_ADMIN_TOKEN:$ADMIN_TOKEN" \
  </dev/null >"$LOG" 2>&1 &
WPID=$!

cleanup() {
  local rc=$?
  if kill -0 -- "-$WPID" 2>/dev/null; then
    kill -TERM -- "-$WPID" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 -- "-$WPID" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL -- "-$WPID" 2>/dev/null || true
  fi
  if [ "$rc" -ne 0 ]; then
    echo "--- wrangler log ---" >&2
    cat "$LOG" >&2
  fi
  rm -f "$LOG"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

fail() {
  echo "smoke: $*" >&2
  exit 1
}

deadline=$(($(date +%s) + WAIT_SECS))
until curl -fs -o /dev/null --max-time 5 "$BASE/health"; do
  kill -0 "$WPID" 2>/dev/null || fail "wrangler exited early"
  [ "$(date +%s)" -lt "$deadline" ] || fail "no healthy answer on $BASE/health after ${WAIT_SECS}s"
  sleep 0.25
done
t_ready=$(now_ms)

# api METHOD PATH TOKEN [JSON]: prints the body of a 2xx answer; anything else fails the smoke.
api() {
  local method="$1" path="$2" token="$3" data="${4:-}" out status
  local args=(-sS --max-time 20 -X "$method" -H "Authorization: Bearer $token" -w '\n%{http_code}')
  [ -z "$data" ] || args+=(-H 'Content-Type: application/json' --data "$data")
  out="$(curl "${args[@]}" "$BASE$path")" || fail "$method $path: curl failed"
  status="${out##*$'\n'}"
  [[ "$status" == 2?? ]] || fail "$method $path answered $status: ${out%$'\n'*} (is the database migrated?)"
  printf '%s' "${out%$'\n'*}"
}

# expect_json WHAT BODY CHECK: CHECK is a JS expression over the parsed body `b`.
expect_json() {
  BODY="$2" node -e '
const b = JSON.parse(process.env.BODY);
if (!('"$3"')) { console.error("smoke: unexpected " + process.argv[1] + ": " + process.env.BODY); process.exit(1); }' "$1"
}
field() { BODY="$1" node -e 'console.log(process.argv[1].split(".").reduce((o, k) => o[k], JSON.parse(process.env.BODY)))' "$2"; }

BODY="$(api POST /v1/merchants "$ADMIN_TOKEN" '{"name":"Smoke Shop","currency":"EUR","timezone":"Europe/Paris"}')"
expect_json "merchant creation" "$BODY" \
  'b.merchant?.id?.startsWith("mer_") && b.secretKey?.startsWith("sk_") && b.publishableKey?.startsWith("pk_")'
SK="$(field "$BODY" secretKey)"
MERCHANT_ID="$(field "$BODY" merchant.id)"

BODY="$(api GET /v1/merchant "$SK")"
expect_json "merchant" "$BODY" "b.id === '$MERCHANT_ID' && b.name === 'Smoke Shop' && b.currency === 'EUR'"

BODY="$(api PUT /v1/customers/smoke-1 "$SK" '{"email":"smoke@example.com","name":"Smoke One","tags":["smoke"]}')"
expect_json "customer upsert" "$BODY" \
  'b.id === "smoke-1" && b.name === "Smoke One" && b.tags[0] === "smoke" && b.points?.available === 0'

BODY="$(api GET /v1/customers/smoke-1 "$SK")"
expect_json "customer" "$BODY" \
  'b.id === "smoke-1" && b.email === "smoke@example.com" && b.points?.pending === 0 && b.tier === null'

# Dashboard on Workers: sign in with the admin key (a form post from the same origin), then the
# overview renders with the session cookie.
JAR="$(mktemp)"
status="$(curl -sS --max-time 20 -o /dev/null -w '%{http_code}' -c "$JAR" -H "Origin: $BASE" \
  --data-urlencode "key=$SK" "$BASE/dashboard/sign-in")" || fail "dashboard sign-in: curl failed"
[ "$status" = 303 ] || fail "dashboard sign-in answered $status"
grep -q plaudit_session "$JAR" || fail "dashboard sign-in set no session cookie"
page="$(curl -sS --max-time 20 -b "$JAR" "$BASE/dashboard")" || fail "dashboard overview: curl failed"
grep -q 'data-figure="liability-points"' <<<"$page" || fail "dashboard overview did not render: ${page:0:300}"
rm -f "$JAR"
t_fetch=$(now_ms)

# Scheduled handler: a 200 only says the trigger was delivered; the log line says runJobs finished.
curl -sS --fail-with-body --max-time 20 -o /dev/null "$BASE/cdn-cgi/handler/scheduled?cron=*+*+*+*+*"
for _ in $(seq 1 50); do
  grep -q '"msg":"scheduled jobs ran"' "$LOG" && break
  sleep 0.1
done
grep -q '"msg":"scheduled jobs ran"' "$LOG" || fail "scheduled log line missing"

echo "workers smoke OK: ready in $((t_ready - t0))ms, fetch checks $((t_fetch - t_ready))ms, scheduled $(($(now_ms) - t_fetch))ms, total $(($(now_ms) - t0))ms"
