#!/usr/bin/env bash
# e2e/kind.sh: clawrate end to end on a real Kubernetes (kind): images, CRDs, RBAC, operator,
# raters, rating over a Service, a rejected model update, and the CRD's CEL validation.
#
# Needs: docker (a running engine, BuildKit: Docker 23+), kind, kubectl, mvn + JDK 17, curl.
#
#   e2e/kind.sh                  # create (or reuse) kind cluster clawrate-e2e, test, delete it
#   KEEP_CLUSTER=1 e2e/kind.sh   # leave the cluster running afterwards (kubectl --context
#                                #   kind-clawrate-e2e ...); a later run reuses it
#   SKIP_BUILD=1 e2e/kind.sh     # use the jars already in */target
#
# Environment: CLUSTER (clawrate-e2e), LOCAL_PORT (18080, for the port-forward to the Service),
# LOCAL_HEALTH_PORT (18081, for the port-forward to a rater's health port), TIMEOUT (180,
# seconds for each rollout/wait), KIND_NODE_IMAGE (kind's default if unset).
# Prints PASS/FAIL per check and exits non-zero if any check failed.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

CLUSTER=${CLUSTER:-clawrate-e2e}
CONTEXT=kind-$CLUSTER
NS=clawrate-system
LOCAL_PORT=${LOCAL_PORT:-18080}
LOCAL_HEALTH_PORT=${LOCAL_HEALTH_PORT:-18081}
TIMEOUT=${TIMEOUT:-180}
OPERATOR_IMAGE=clawrate/operator:dev # as in deploy/kustomization.yaml
RATER_IMAGE=clawrate/rater:dev
TMP=$(mktemp -d "${TMPDIR:-/tmp}/clawrate-e2e.XXXXXX")
PF_PID=""
PF_HEALTH_PID=""
FAILED=0
PASSED=0

log() { printf '\n== %s\n' "$*"; }
pass() {
  PASSED=$((PASSED + 1))
  echo "PASS: $*"
}
fail() {
  FAILED=$((FAILED + 1))
  echo "FAIL: $*"
}
die() {
  echo "FAIL: $*"
  exit 1
}
# Every kubectl call names the kind context: never touch whatever cluster is current.
k() { kubectl --context "$CONTEXT" "$@"; }

diagnostics() {
  echo "---- diagnostics ----"
  k get nodes -o wide || true
  k -n "$NS" get deploy,rs,pods,svc,pdb,lease,configmaps -o wide || true
  k -n "$NS" get ratingmodels,tenantconfigs -o wide || true
  k -n "$NS" get ratingmodels -o yaml | grep -A40 '^  status:' || true
  k -n "$NS" get events --sort-by=.lastTimestamp | tail -n 40 || true
  for deploy in clawrate-operator clawrate-rater-stable; do
    echo "---- logs deploy/$deploy (last 60 lines) ----"
    k -n "$NS" logs "deploy/$deploy" --all-containers --tail=60 || true
  done
}

cleanup() {
  local rc=$?
  local pid
  for pid in $PF_PID $PF_HEALTH_PID; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if ((rc != 0 || FAILED > 0)) && [[ ${CLUSTER_UP:-0} == 1 ]]; then
    diagnostics
  fi
  if [[ ${CLUSTER_UP:-0} == 1 ]]; then
    if [[ ${KEEP_CLUSTER:-0} == 1 ]]; then
      echo "kept kind cluster $CLUSTER (kubectl --context $CONTEXT ...; kind delete cluster --name $CLUSTER)"
    else
      kind delete cluster --name "$CLUSTER" || true
    fi
  fi
  rm -rf "$TMP"
  echo
  if ((rc != 0)); then
    echo "e2e: $PASSED passed, $FAILED failed, stopped early (exit $rc)"
  else
    echo "e2e: $PASSED passed, $FAILED failed"
  fi
  if ((rc == 0 && FAILED > 0)); then
    exit 1
  fi
  exit "$rc"
}
trap cleanup EXIT

# --- prerequisites --------------------------------------------------------------------------
missing=()
for tool in docker kind kubectl mvn java curl; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if ((${#missing[@]} > 0)); then
  die "missing tools: ${missing[*]} (this script needs docker, kind, kubectl, mvn with a JDK 17, curl)"
fi
docker info >/dev/null 2>&1 || die "docker is installed but no engine answers (is the daemon running? can this user reach it?)"

# --- cluster --------------------------------------------------------------------------------
log "kind cluster $CLUSTER"
if kind get clusters 2>/dev/null | grep -qx "$CLUSTER"; then
  echo "reusing existing cluster $CLUSTER"
else
  kind create cluster --name "$CLUSTER" --wait 120s ${KIND_NODE_IMAGE:+--image "$KIND_NODE_IMAGE"}
fi
CLUSTER_UP=1
k cluster-info >/dev/null

# --- build ----------------------------------------------------------------------------------
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  log "maven package (tests skipped; the in-JVM tests are mvn verify's job)"
  mvn -q -B -DskipTests -Dspotless.check.skip=true package
fi
[[ -f rater-pod/target/rater-pod.jar ]] || die "no rater-pod/target/rater-pod.jar"
[[ -f operator/target/clawrate-operator.jar ]] || die "no operator/target/clawrate-operator.jar"

log "docker images"
DOCKER_BUILDKIT=1 docker build -f images/rater.Dockerfile -t "$RATER_IMAGE" .
DOCKER_BUILDKIT=1 docker build -f images/operator.Dockerfile -t "$OPERATOR_IMAGE" .
kind load docker-image --name "$CLUSTER" "$RATER_IMAGE" "$OPERATOR_IMAGE"

# --- install --------------------------------------------------------------------------------
log "CRDs, then deploy/"
k apply -f crds/
k wait --for=condition=Established --timeout=60s \
  crd/ratingmodels.clawrate.dev crd/tenantconfigs.clawrate.dev
k apply -k deploy/
# A re-run with a rebuilt image under the same tag: restart so the pods take the new image.
k -n "$NS" rollout restart deploy/clawrate-operator deploy/clawrate-rater-stable >/dev/null
for deploy in clawrate-operator clawrate-rater-stable; do
  if k -n "$NS" rollout status "deploy/$deploy" --timeout="${TIMEOUT}s"; then
    pass "deployment $deploy rolled out (images, probes, restricted pod security, non-root uid)"
  else
    die "deployment $deploy did not roll out"
  fi
done

# --- RBAC as granted ------------------------------------------------------------------------
log "RBAC"
# can SERVICEACCOUNT EXPECTED NAMESPACE|- VERB RESOURCE [kubectl auth can-i flags...]
can() {
  local sa=$1 expected=$2 ns=$3 got where
  shift 3
  local scope=(--all-namespaces)
  where="(all namespaces)"
  if [[ $ns != - ]]; then
    scope=(-n "$ns")
    where="in $ns"
  fi
  got=$(k auth can-i --as="system:serviceaccount:$NS:$sa" "${scope[@]}" "$@" 2>/dev/null || true)
  if [[ $got == "$expected" ]]; then
    pass "rbac: $sa can-i $* $where = $expected"
  else
    fail "rbac: $sa can-i $* $where = '$got', want $expected"
  fi
}
can clawrate-rater yes "$NS" watch configmaps
can clawrate-rater no "$NS" create configmaps
can clawrate-rater no default list configmaps
can clawrate-rater yes "$NS" create leases.coordination.k8s.io
can clawrate-rater yes "$NS" patch leases.coordination.k8s.io
can clawrate-rater yes "$NS" delete leases.coordination.k8s.io
can clawrate-rater no default create leases.coordination.k8s.io
can clawrate-operator yes - watch ratingmodels.clawrate.dev
can clawrate-operator yes - update ratingmodels.clawrate.dev --subresource=status
can clawrate-operator yes - update tenantconfigs.clawrate.dev --subresource=status
can clawrate-operator yes - update ratingmodels.clawrate.dev
can clawrate-operator yes - create events
can clawrate-operator yes "$NS" delete configmaps
can clawrate-operator no default create configmaps
can clawrate-operator yes "$NS" update leases.coordination.k8s.io
can clawrate-operator yes "$NS" watch leases.coordination.k8s.io

# RBAC lets the rater write any Lease of the namespace; the admission policy narrows that to its
# own heartbeat. The operator's leader Lease must be out of a rater's reach.
log "admission policy: raters write only their heartbeat"
if k -n "$NS" patch lease clawrate-operator --type merge -p '{"spec":{"holderIdentity":"rater"}}' \
    --as="system:serviceaccount:$NS:clawrate-rater" >/dev/null 2>&1; then
  fail "a rater could rewrite the operator's leader Lease"
else
  pass "a rater cannot rewrite the operator's leader Lease"
fi

# --- the examples ---------------------------------------------------------------------------
log "examples/resources into $NS"
k -n "$NS" apply -f examples/resources/
if k -n "$NS" wait --for=condition=Ready rmodel --all --timeout="${TIMEOUT}s"; then
  pass "RatingModels report Ready (every live rater serves them, from their heartbeats)"
else
  fail "RatingModels not Ready"
fi
if k -n "$NS" wait --for=condition=Ready tenantconfig --all --timeout="${TIMEOUT}s"; then
  pass "TenantConfigs report Ready"
else
  fail "TenantConfigs not Ready"
fi
leader=$(k -n "$NS" get lease clawrate-operator -o jsonpath='{.spec.holderIdentity}' 2>/dev/null || true)
if [[ $leader == clawrate-operator-* ]]; then
  pass "leader election: Lease clawrate-operator held by $leader"
else
  fail "leader election: Lease clawrate-operator holder is '$leader'"
fi

# --- rating through the Service -------------------------------------------------------------
log "port-forward svc/clawrate-rater $LOCAL_PORT:80"
# kubectl itself, not the k function: $! must be the kubectl process so cleanup can stop it.
kubectl --context "$CONTEXT" -n "$NS" port-forward svc/clawrate-rater "$LOCAL_PORT:80" \
  >"$TMP/port-forward.log" 2>&1 &
PF_PID=$!
BASE=http://127.0.0.1:$LOCAL_PORT
# The Service has the rating port alone, where GET /v1/rate is a 405: any answer means the
# forward is up.
for ((i = 0; i < 60; i++)); do
  [[ $(curl -s -o /dev/null -w '%{http_code}' "$BASE/v1/rate" 2>/dev/null || true) == 405 ]] && break
  kill -0 "$PF_PID" 2>/dev/null || die "port-forward exited: $(cat "$TMP/port-forward.log")"
  sleep 1
done
for path in /v1/models /metrics /readyz; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "$BASE$path" || echo 000)
  if [[ $code == 404 ]]; then
    pass "rating port: GET $path is 404 (only POST /v1/rate is served to clients)"
  else
    fail "rating port: GET $path answered $code, want 404"
  fi
done

# rate TENANT BODY_FILE -> sets STATUS and writes the body to $TMP/response.json
rate() {
  STATUS=$(curl -sS -o "$TMP/response.json" -w '%{http_code}' "$BASE/v1/rate" \
    -H "X-Tenant-Id: $1" -H 'Content-Type: application/json' --data-binary "@$2" || echo 000)
}
# json_field FIELD -> the string value of a top-level field of the last response
json_field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p" "$TMP/response.json" | head -n 1; }

RATERS=$(k -n "$NS" get rmodel credit-scorecard -o jsonpath='{.status.raters}')
WANT=$(k -n "$NS" get deploy clawrate-rater-stable -o jsonpath='{.status.readyReplicas}')
if [[ $RATERS == "$WANT/$WANT" ]]; then
  pass "credit-scorecard served by $RATERS raters"
else
  fail "credit-scorecard raters '$RATERS', want $WANT/$WANT"
fi

# Ready means served by every live rater, so the first request already finds the tenant.
for ((i = 0; i < 30; i++)); do
  rate acme-bank examples/requests/applicant.json
  [[ $STATUS == 200 ]] && break
  sleep 1
done
if [[ $STATUS == 200 ]] && grep -q '"decision":"approve"' "$TMP/response.json"; then
  pass "POST /v1/rate acme-bank: 200, decision approve ($(json_field digest))"
else
  fail "POST /v1/rate acme-bank: status $STATUS, body $(head -c 400 "$TMP/response.json")"
fi
GOOD_DIGEST=$(json_field digest)
STATUS_DIGEST=$(k -n "$NS" get rmodel credit-scorecard -o jsonpath='{.status.digest}')
if [[ -n $GOOD_DIGEST && $GOOD_DIGEST == "$STATUS_DIGEST" ]]; then
  pass "served digest equals RatingModel status.digest ($STATUS_DIGEST)"
else
  fail "served digest '$GOOD_DIGEST' != RatingModel status.digest '$STATUS_DIGEST'"
fi

# --- a rater's health port and heartbeat ----------------------------------------------------
log "port-forward deploy/clawrate-rater-stable $LOCAL_HEALTH_PORT:8081 (health port)"
kubectl --context "$CONTEXT" -n "$NS" port-forward deploy/clawrate-rater-stable \
  "$LOCAL_HEALTH_PORT:8081" >"$TMP/port-forward-health.log" 2>&1 &
PF_HEALTH_PID=$!
HEALTH=http://127.0.0.1:$LOCAL_HEALTH_PORT
for ((i = 0; i < 60; i++)); do
  curl -fsS -o /dev/null "$HEALTH/readyz" 2>/dev/null && break
  kill -0 "$PF_HEALTH_PID" 2>/dev/null || die "port-forward exited: $(cat "$TMP/port-forward-health.log")"
  sleep 1
done
if curl -fsS "$HEALTH/v1/models" 2>/dev/null | grep -q "$GOOD_DIGEST"; then
  pass "health port: /readyz 200 and /v1/models lists the served digest"
else
  fail "health port: /v1/models does not list $GOOD_DIGEST"
fi
if curl -fsS "$HEALTH/metrics" 2>/dev/null | grep -q '^clawrate_heartbeat_writes_total{outcome="created"}'; then
  pass "health port: /metrics counts heartbeat writes"
else
  fail "health port: /metrics has no clawrate_heartbeat_writes_total{outcome=\"created\"}"
fi
heartbeats=$(k -n "$NS" get lease -l app.kubernetes.io/component=rater-heartbeat \
  -o jsonpath='{range .items[*]}{.spec.holderIdentity}{"\t"}{.metadata.annotations.clawrate\.dev/heartbeat}{"\n"}{end}')
# Running and not terminating: a rater removes its Lease as soon as it is told to stop.
pods=$(k -n "$NS" get pods -l app.kubernetes.io/name=clawrate-rater \
  --field-selector=status.phase=Running \
  -o jsonpath='{range .items[*]}{.metadata.name} {.metadata.deletionTimestamp}{"\n"}{end}' |
  awk 'NF == 1 { print $1 }')
missing_heartbeats=0
for pod in $pods; do
  grep -q "^$pod"$'\t'".*\"revision\"" <<<"$heartbeats" || missing_heartbeats=$((missing_heartbeats + 1))
done
if [[ -n $pods && $missing_heartbeats == 0 ]]; then
  pass "every running rater pod has a heartbeat Lease reporting a revision ($(echo $pods))"
else
  fail "$missing_heartbeats rater pod(s) without a heartbeat reporting a revision: $heartbeats"
fi

# --- a broken module update is refused, the last good one keeps serving ---------------------
# wait_condition NAME TYPE STATUS: until the operator has observed the current generation and
# the condition has that status (kubectl wait alone could see the previous generation's status).
wait_condition() {
  local name=$1 type=$2 want=$3 gen observed got i
  for ((i = 0; i < TIMEOUT; i++)); do
    gen=$(k -n "$NS" get rmodel "$name" -o jsonpath='{.metadata.generation}')
    observed=$(k -n "$NS" get rmodel "$name" -o jsonpath='{.status.observedGeneration}')
    got=$(k -n "$NS" get rmodel "$name" -o jsonpath="{.status.conditions[?(@.type==\"$type\")].status}")
    if [[ $gen == "$observed" && $got == "$want" ]]; then
      return 0
    fi
    sleep 1
  done
  return 1
}

log "update credit-scorecard to a module that is not Wasm"
# "AAAA" is three zero bytes: valid base64, passes the CRD schema, fails the operator's validator.
# sha256 is removed so the failure is the module itself, not a digest mismatch.
k -n "$NS" patch rmodel credit-scorecard --type merge \
  -p '{"spec":{"module":{"inline":"AAAA","sha256":null}}}'
if wait_condition credit-scorecard Validated False; then
  reason=$(k -n "$NS" get rmodel credit-scorecard \
    -o jsonpath='{.status.conditions[?(@.type=="Validated")].reason}')
  pass "broken module: Validated=False (reason $reason)"
else
  fail "broken module: Validated did not turn False"
fi
after=$(k -n "$NS" get rmodel credit-scorecard -o jsonpath='{.status.digest}')
if [[ $after == "$STATUS_DIGEST" ]]; then
  pass "broken module: status.digest still the last good one"
else
  fail "broken module: status.digest changed to '$after'"
fi
sleep 3 # were anything published, the raters would have it by now
rate acme-bank examples/requests/applicant.json
if [[ $STATUS == 200 && $(json_field digest) == "$GOOD_DIGEST" ]]; then
  pass "broken module: rating still 200 with the old digest"
else
  fail "broken module: status $STATUS, digest '$(json_field digest)', want 200 with $GOOD_DIGEST"
fi

log "restore credit-scorecard"
k -n "$NS" apply -f examples/resources/model-credit-scorecard.yaml
if wait_condition credit-scorecard Validated True && wait_condition credit-scorecard Ready True; then
  pass "restored module: Validated=True and Ready=True"
else
  fail "restored module did not become Validated and Ready"
fi
rate acme-bank examples/requests/applicant.json
if [[ $STATUS == 200 && $(json_field digest) == "$GOOD_DIGEST" ]]; then
  pass "restored module: rating 200 with $GOOD_DIGEST"
else
  fail "restored module: status $STATUS, digest '$(json_field digest)'"
fi

# --- what the operator wrote, it repairs ------------------------------------------------------
log "snapshot ConfigMap deleted by hand"
before=$(k -n "$NS" get cm clawrate-snapshot-stable -o jsonpath='{.metadata.annotations.clawrate\.dev/revision}')
k -n "$NS" delete cm clawrate-snapshot-stable >/dev/null
after=""
for ((i = 0; i < 30; i++)); do
  after=$(k -n "$NS" get cm clawrate-snapshot-stable -o jsonpath='{.metadata.annotations.clawrate\.dev/revision}' 2>/dev/null || true)
  [[ -n $after && $after -gt $before ]] && break
  sleep 1
done
if [[ -n $after && $after -gt $before ]]; then
  pass "snapshot ConfigMap written again with revision $after > $before"
else
  fail "snapshot ConfigMap not back above revision $before (got '$after')"
fi
# Immutable module ConfigMaps cannot be edited on a real API server; deletion is what can happen.
MODULE_CM=$(k -n "$NS" get cm -l app.kubernetes.io/component=model-module -o name | head -n 1)
k -n "$NS" delete "$MODULE_CM" >/dev/null
for ((i = 0; i < 30; i++)); do
  k -n "$NS" get "$MODULE_CM" >/dev/null 2>&1 && break
  sleep 1
done
if k -n "$NS" get "$MODULE_CM" >/dev/null 2>&1; then
  pass "module $MODULE_CM deleted by hand is written again"
else
  fail "module $MODULE_CM not written again"
fi
if wait_condition credit-scorecard Ready True; then
  pass "after the repairs: credit-scorecard Ready"
else
  fail "after the repairs: credit-scorecard not Ready"
fi

# --- what only a real API server checks -----------------------------------------------------
log "CRD validation (CEL rules, defaults) by the API server"
SHA=$(printf '0%.0s' {1..64})
cat >"$TMP/both.yaml" <<EOF
apiVersion: clawrate.dev/v1alpha1
kind: RatingModel
metadata:
  name: e2e-inline-and-url
spec:
  module:
    inline: AAAA
    url: https://models.example.invalid/m.wasm
    sha256: $SHA
EOF
if k -n "$NS" apply -f "$TMP/both.yaml" >"$TMP/both.out" 2>&1; then
  fail "CEL: a RatingModel with both inline and url was accepted"
  k -n "$NS" delete rmodel e2e-inline-and-url --ignore-not-found >/dev/null || true
elif grep -q 'exactly one of inline, configMapKeyRef or url' "$TMP/both.out"; then
  pass "CEL: inline + url rejected ($(grep -o 'exactly one of[^"]*' "$TMP/both.out" | head -n 1))"
else
  fail "CEL: inline + url rejected, but not by the rule: $(cat "$TMP/both.out")"
fi

cat >"$TMP/nosha.yaml" <<EOF
apiVersion: clawrate.dev/v1alpha1
kind: RatingModel
metadata:
  name: e2e-url-without-sha
spec:
  module:
    url: https://models.example.invalid/m.wasm
EOF
if k -n "$NS" apply -f "$TMP/nosha.yaml" >"$TMP/nosha.out" 2>&1; then
  fail "CEL: a url without sha256 was accepted"
  k -n "$NS" delete rmodel e2e-url-without-sha --ignore-not-found >/dev/null || true
elif grep -q 'sha256 is required with url' "$TMP/nosha.out"; then
  pass "CEL: url without sha256 rejected"
else
  fail "CEL: url without sha256 rejected, but not by the rule: $(cat "$TMP/nosha.out")"
fi

# Server-side dry run: the object as the API server would store it, defaults applied; nothing
# is created, so the operator never sees it.
cat >"$TMP/defaults.yaml" <<EOF
apiVersion: clawrate.dev/v1alpha1
kind: RatingModel
metadata:
  name: e2e-defaults
spec:
  module:
    inline: AAAA
EOF
defaults=$(k -n "$NS" create --dry-run=server -f "$TMP/defaults.yaml" \
  -o jsonpath='{.spec.entrypoint} {.spec.limits.maxMemoryPages} {.spec.limits.timeoutMillis} {.spec.limits.maxInputBytes}' 2>&1 || true)
if [[ $defaults == "rate 256 50 65536" ]]; then
  pass "defaults: entrypoint and limits filled in by the API server ($defaults)"
else
  fail "defaults: got '$defaults', want 'rate 256 50 65536'"
fi

# --- logs are JSON --------------------------------------------------------------------------
if k -n "$NS" logs deploy/clawrate-rater-stable --tail=50 | grep -q '^{"timestamp":'; then
  pass "rater logs are JSON lines"
else
  fail "rater logs have no JSON lines"
fi
