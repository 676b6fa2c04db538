#!/usr/bin/env bash
# e2e/kind.sh: clawrate end to end on a real Kubernetes (kind): images, the Helm chart (CRDs, RBAC,
# operator, raters), rating over a Service, a rejected model update, and the CRD's CEL validation.
#
# Needs: docker (a running engine, BuildKit: Docker 23+), kind, kubectl, helm, mvn + JDK 17, curl.
#
#   e2e/kind.sh                  # create (or reuse) kind cluster clawrate-e2e, test, delete it
#   KEEP_CLUSTER=1 e2e/kind.sh   # leave the cluster running afterwards (kubectl --context
#                                #   kind-clawrate-e2e ...); a later run reuses it
#   SKIP_BUILD=1 e2e/kind.sh     # use the jars already in */target
#   REGIONS=1 e2e/kind.sh        # also a second kind cluster, registered as region eu-west
#
# Environment: CLUSTER (clawrate-e2e), LOCAL_PORT (18080, for the port-forward to the Service),
# LOCAL_HEALTH_PORT (18081, for the port-forward to a rater's health port), TIMEOUT (180,
# seconds for each rollout/wait), KIND_NODE_IMAGE (kind's default if unset). With REGIONS=1:
# MEMBER_CLUSTER ($CLUSTER-eu), LOCAL_MEMBER_PORT (18082, port-forward to the member's Service),
# LOCAL_OPERATOR_PORT (18083, port-forward to the leading operator's health port), MEMBER_SERVER
# (the member's API server as the hub's pods reach it; default: kind's internal address).
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
IMAGE_TAG=dev # built below, loaded into kind, and given to the chart
OPERATOR_IMAGE=clawrate/operator:$IMAGE_TAG
RATER_IMAGE=clawrate/rater:$IMAGE_TAG
CHART=charts/clawrate
RELEASE=clawrate
TMP=$(mktemp -d "${TMPDIR:-/tmp}/clawrate-e2e.XXXXXX")
PF_PID=""
PF_HEALTH_PID=""
PF_MEMBER_PID=""
PF_OPERATOR_PID=""
PF_GATEWAY_PID=""
LOAD_PID=""
LOCAL_GATEWAY_PORT=${LOCAL_GATEWAY_PORT:-18084}
ENVOY_GATEWAY_VERSION=${ENVOY_GATEWAY_VERSION:-v1.5.4} # brings the Gateway API CRDs with it
K6_IMAGE=${K6_IMAGE:-grafana/k6:1.3.0}
REGION=eu-west # the region name the member cluster is registered as (REGIONS=1)
MEMBER_CLUSTER=${MEMBER_CLUSTER:-$CLUSTER-eu}
MEMBER_CONTEXT=kind-$MEMBER_CLUSTER
LOCAL_MEMBER_PORT=${LOCAL_MEMBER_PORT:-18082}
LOCAL_OPERATOR_PORT=${LOCAL_OPERATOR_PORT:-18083}
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
m() { kubectl --context "$MEMBER_CONTEXT" "$@"; } # the member cluster (REGIONS=1)

# restricted_namespace KUBECTL_FUNCTION: the rater namespace, with the Pod Security level the pods
# are written for, so the API server holds them to it (the chart does not own the namespace).
restricted_namespace() {
  "$1" create namespace "$NS" --dry-run=client -o yaml | "$1" apply -f - >/dev/null
  "$1" label namespace "$NS" --overwrite >/dev/null \
    pod-security.kubernetes.io/enforce=restricted pod-security.kubernetes.io/enforce-version=latest
}

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
  if [[ ${MEMBER_UP:-0} == 1 ]]; then
    echo "---- member cluster $MEMBER_CLUSTER (region $REGION) ----"
    k -n "$NS" get secrets -l clawrate.dev/region || true
    m -n "$NS" get deploy,pods,lease,configmaps,secrets -o wide || true
    m -n "$NS" logs deploy/clawrate-rater-stable --all-containers --tail=40 || true
  fi
}

cleanup() {
  local rc=$?
  local pid
  for pid in $PF_PID $PF_HEALTH_PID $PF_MEMBER_PID $PF_OPERATOR_PID $PF_GATEWAY_PID $LOAD_PID; do
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
  if [[ ${MEMBER_UP:-0} == 1 ]]; then
    if [[ ${KEEP_CLUSTER:-0} == 1 ]]; then
      echo "kept kind cluster $MEMBER_CLUSTER (kubectl --context $MEMBER_CONTEXT ...; kind delete cluster --name $MEMBER_CLUSTER)"
    else
      kind delete cluster --name "$MEMBER_CLUSTER" || true
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
for tool in docker kind kubectl helm mvn java curl; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if ((${#missing[@]} > 0)); then
  die "missing tools: ${missing[*]} (this script needs docker, kind, kubectl, helm, mvn with a JDK 17, curl)"
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
# Not in the operator's image: its AppCDS training runs the operator against the local run.
[[ -f local-run/target/clawrate-local.jar ]] || die "no local-run/target/clawrate-local.jar"

log "docker images"
DOCKER_BUILDKIT=1 docker build -f images/rater.Dockerfile -t "$RATER_IMAGE" .
DOCKER_BUILDKIT=1 docker build -f images/operator.Dockerfile -t "$OPERATOR_IMAGE" .
kind load docker-image --name "$CLUSTER" "$RATER_IMAGE" "$OPERATOR_IMAGE"

# --- a Gateway API implementation -----------------------------------------------------------
# Envoy Gateway installs the Gateway API CRDs and a controller; the chart's HTTPRoute attaches to
# the Gateway made here, and the operator moves that route's weights during a release.
log "Envoy Gateway $ENVOY_GATEWAY_VERSION and Gateway clawrate"
helm --kube-context "$CONTEXT" upgrade --install eg oci://docker.io/envoyproxy/gateway-helm \
  --version "$ENVOY_GATEWAY_VERSION" -n envoy-gateway-system --create-namespace --wait \
  --timeout "${TIMEOUT}s"
k create namespace "$NS" --dry-run=client -o yaml | k apply -f - >/dev/null
k apply -f - >/dev/null <<EOF
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: clawrate-e2e}
spec: {controllerName: gateway.envoyproxy.io/gatewayclass-controller}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: clawrate, namespace: $NS}
spec:
  gatewayClassName: clawrate-e2e
  listeners: [{name: http, protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: Same}}}]
EOF
if k -n "$NS" wait --for=condition=Programmed gateway/clawrate --timeout="${TIMEOUT}s"; then
  pass "Gateway clawrate programmed by Envoy Gateway"
else
  die "Gateway clawrate not programmed"
fi

# --- install --------------------------------------------------------------------------------
log "helm upgrade --install $RELEASE $CHART"
# Helm installs the chart's crds/ on the first install only; on a reused cluster apply them first so
# they are the ones this checkout generated (server-side: they outgrow the client-side annotation).
k apply --server-side --force-conflicts -f "$CHART/crds/" >/dev/null
k wait --for=condition=Established --timeout=60s \
  crd/ratingmodels.clawrate.dev crd/tenantconfigs.clawrate.dev crd/canaryreleases.clawrate.dev
restricted_namespace k
helm --kube-context "$CONTEXT" upgrade --install "$RELEASE" "$CHART" --namespace "$NS" \
  --set operator.image.tag="$IMAGE_TAG" --set raters.image.tag="$IMAGE_TAG" \
  --set httpRoute.enabled=true --set "httpRoute.parentRefs[0].name=clawrate"
# A re-run with a rebuilt image under the same tag: restart so the pods take the new image.
k -n "$NS" rollout restart deploy/clawrate-operator deploy/clawrate-rater-stable \
  deploy/clawrate-rater-canary >/dev/null
for deploy in clawrate-operator clawrate-rater-stable clawrate-rater-canary; do
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
# The finalizer is added and removed with a patch; the operator never updates a spec.
can clawrate-operator yes - patch ratingmodels.clawrate.dev
can clawrate-operator no - update ratingmodels.clawrate.dev
can clawrate-operator yes - create events
can clawrate-operator yes "$NS" delete configmaps
can clawrate-operator no default create configmaps
can clawrate-operator yes "$NS" update leases.coordination.k8s.io
can clawrate-operator yes "$NS" watch leases.coordination.k8s.io
# Region Secrets (docs/regions.md): listed and watched in its own namespace only.
can clawrate-operator yes "$NS" watch secrets
can clawrate-operator no default list secrets
can clawrate-operator no "$NS" create secrets

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
# The files the local run applies; tenant-with-fallback.yaml names region eu-west, which exists
# only with REGIONS=1 (below).
for example in model-credit-scorecard model-risk-tier tenant-acme-bank tenant-globex-lending; do
  k -n "$NS" apply -f "examples/resources/$example.yaml"
done
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

# rate TENANT BODY_FILE [BASE_URL] -> sets STATUS and writes the body to $TMP/response.json
rate() {
  STATUS=$(curl -sS -o "$TMP/response.json" -w '%{http_code}' "${3:-$BASE}/v1/rate" \
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

# --- through the gateway: k6, a release promoted, a release rolled back ---------------------
log "rating through the Gateway, checked by k6's synthetic script"
gateway_service=$(k -n envoy-gateway-system get svc \
  -l "gateway.envoyproxy.io/owning-gateway-name=clawrate,gateway.envoyproxy.io/owning-gateway-namespace=$NS" \
  -o jsonpath='{.items[0].metadata.name}')
kubectl --context "$CONTEXT" -n envoy-gateway-system port-forward "svc/$gateway_service" \
  "$LOCAL_GATEWAY_PORT:80" >"$TMP/port-forward-gateway.log" 2>&1 &
PF_GATEWAY_PID=$!
GATEWAY_BASE=http://127.0.0.1:$LOCAL_GATEWAY_PORT
for ((i = 0; i < 60; i++)); do
  rate acme-bank examples/requests/applicant.json "$GATEWAY_BASE"
  [[ $STATUS == 200 ]] && break
  kill -0 "$PF_GATEWAY_PID" 2>/dev/null || die "port-forward exited: $(cat "$TMP/port-forward-gateway.log")"
  sleep 1
done
if [[ $STATUS == 200 && $(json_field track) == stable ]]; then
  pass "HTTPRoute accepted: acme-bank rated 200 through the Gateway, by the stable track"
else
  fail "through the Gateway: status $STATUS, track '$(json_field track)'"
fi
# k6 in its container on the host network; the scripts and the sample applicant mounted read-only.
k6() {
  docker run --rm --network host -v "$ROOT/k6:/k6:ro" -v "$ROOT/examples:/examples:ro" \
    -e CLAWRATE_APPLICANT=/examples/requests/applicant.json "$@"
}
if k6 -e CLAWRATE_REGIONS="{\"local\":\"$GATEWAY_BASE\"}" -e CLAWRATE_DURATION=30s \
  "$K6_IMAGE" run -q /k6/synthetic.js; then
  pass "k6 synthetic.js: thresholds held (p95, well-formed answers, decisions, no fallbacks)"
else
  fail "k6 synthetic.js: a threshold failed"
fi

log "a CanaryRelease of credit-scorecard, promoted"
k -n "$NS" apply -f - >/dev/null <<EOF
apiVersion: clawrate.dev/v1alpha1
kind: CanaryRelease
metadata: {name: credit-scorecard}
spec:
  targetRef: {kind: RatingModel, name: credit-scorecard}
  traffic: {route: clawrate-raters, stableService: clawrate-rater-stable, canaryService: clawrate-rater-canary}
  shadow: {samplePercent: 50, minSamples: 20}
  steps: [{weight: 10, pause: 10s}, {weight: 50, pause: 10s}]
  analysis: {interval: 10s, minRequests: 10, maxErrorRatePercent: 1, maxP99Millis: 500, maxFlipRatePercent: 5, failureLimit: 0, progressDeadline: 5m}
EOF
wait_for canaryrelease credit-scorecard '{.status.phase}' Idle ||
  fail "CanaryRelease credit-scorecard not Idle before any change"
# Traffic for the analysis, through the gateway, from k6's canary watch (its verdict is not
# asserted here: the second release below is meant to fail).
k6 -e CLAWRATE_GATEWAYS="{\"local\":\"$GATEWAY_BASE\"}" -e CLAWRATE_CANARY_RATE=20 \
  -e CLAWRATE_DURATION=10m "$K6_IMAGE" run -q /k6/canary-watch.js >"$TMP/k6-canary.log" 2>&1 &
LOAD_PID=$!
# A new version: the same module under other limits is a new config digest.
k -n "$NS" patch rmodel credit-scorecard --type merge -p '{"spec":{"limits":{"timeoutMillis":60}}}'
if wait_for canaryrelease credit-scorecard '{.status.phase}' Succeeded; then
  pass "release promoted: shadow, 10%, 50%, Succeeded"
else
  fail "release not promoted: phase $(k -n "$NS" get canaryrelease credit-scorecard -o jsonpath='{.status.phase}')"
fi
weights=$(k -n "$NS" get httproute clawrate-raters -o jsonpath='{.spec.rules[*].backendRefs[*].weight}')
if [[ $weights == "100 0" ]]; then
  pass "HTTPRoute weights after promotion: $weights"
else
  fail "HTTPRoute weights after promotion: '$weights', want '100 0'"
fi

log "a release of a module that traps, rolled back"
stable_digest=$(k -n "$NS" get rmodel credit-scorecard -o jsonpath='{.status.digest}')
traps=$(sed -n 's/^ *inline: *//p' examples/resources/model-always-traps.yaml | head -n 1)
[[ -n $traps ]] || die "no inline module in examples/resources/model-always-traps.yaml"
k -n "$NS" patch rmodel credit-scorecard --type merge \
  -p "{\"spec\":{\"module\":{\"inline\":\"$traps\",\"sha256\":null}}}"
if wait_for canaryrelease credit-scorecard '{.status.phase}' RolledBack; then
  pass "a candidate that traps was rolled back by the analysis"
else
  fail "no rollback: phase $(k -n "$NS" get canaryrelease credit-scorecard -o jsonpath='{.status.phase}')"
fi
weights=$(k -n "$NS" get httproute clawrate-raters -o jsonpath='{.spec.rules[*].backendRefs[*].weight}')
if [[ $weights == "100 0" ]]; then
  pass "HTTPRoute weights after the rollback: $weights"
else
  fail "HTTPRoute weights after the rollback: '$weights', want '100 0'"
fi
rate acme-bank examples/requests/applicant.json "$GATEWAY_BASE"
if [[ $STATUS == 200 && $(json_field track) == stable ]]; then
  pass "after the rollback acme-bank is rated 200 by stable (last promoted $stable_digest)"
else
  fail "after the rollback: status $STATUS, track '$(json_field track)'"
fi
kill "$LOAD_PID" 2>/dev/null || true
wait "$LOAD_PID" 2>/dev/null || true
LOAD_PID=""
k -n "$NS" delete canaryrelease credit-scorecard >/dev/null
k -n "$NS" apply -f examples/resources/model-credit-scorecard.yaml >/dev/null

# --- logs are JSON --------------------------------------------------------------------------
if k -n "$NS" logs deploy/clawrate-rater-stable --tail=50 | grep -q '^{"timestamp":'; then
  pass "rater logs are JSON lines"
else
  fail "rater logs have no JSON lines"
fi

# --- a second cluster as region eu-west (REGIONS=1) -----------------------------------------
if [[ ${REGIONS:-0} != 1 ]]; then
  exit 0
fi

# wait_for KIND NAME JSONPATH WANT: until the hub's object has that value (prints the last one
# on a time-out).
wait_for() {
  local got="" i
  for ((i = 0; i < TIMEOUT; i++)); do
    got=$(k -n "$NS" get "$1" "$2" -o jsonpath="$3" 2>/dev/null || true)
    [[ $got == "$4" ]] && return 0
    sleep 1
  done
  echo "$1/$2 $3 is '$got', want '$4'"
  return 1
}

log "kind cluster $MEMBER_CLUSTER, to be region $REGION"
if kind get clusters 2>/dev/null | grep -qx "$MEMBER_CLUSTER"; then
  echo "reusing existing cluster $MEMBER_CLUSTER"
else
  kind create cluster --name "$MEMBER_CLUSTER" --wait 120s ${KIND_NODE_IMAGE:+--image "$KIND_NODE_IMAGE"}
fi
MEMBER_UP=1
kind load docker-image --name "$MEMBER_CLUSTER" "$RATER_IMAGE"

# A member runs raters only (no CRDs, no operator), plus the identity the hub publishes with.
restricted_namespace m
helm --kube-context "$MEMBER_CONTEXT" upgrade --install "$RELEASE" "$CHART" --namespace "$NS" \
  --skip-crds --set operator.enabled=false --set hubAccess.enabled=true \
  --set raters.image.tag="$IMAGE_TAG"
m -n "$NS" rollout restart deploy/clawrate-rater-stable >/dev/null

log "RBAC of the hub's identity in the member"
member_can() {
  local expected=$1 ns=$2 got
  shift 2
  got=$(m auth can-i --as="system:serviceaccount:$NS:clawrate-hub" -n "$ns" "$@" 2>/dev/null || true)
  if [[ $got == "$expected" ]]; then
    pass "member rbac: clawrate-hub can-i $* in $ns = $expected"
  else
    fail "member rbac: clawrate-hub can-i $* in $ns = '$got', want $expected"
  fi
}
member_can yes "$NS" create configmaps
member_can yes "$NS" delete configmaps
member_can yes "$NS" watch leases.coordination.k8s.io
member_can yes "$NS" delete leases.coordination.k8s.io
member_can no "$NS" create leases.coordination.k8s.io
member_can no "$NS" list secrets
member_can no "$NS" create events
member_can no default list configmaps

log "region Secret region-$REGION in the hub"
token=""
for ((i = 0; i < 60; i++)); do
  token=$(m -n "$NS" get secret clawrate-hub-token -o jsonpath='{.data.token}' 2>/dev/null || true)
  [[ -n $token ]] && break
  sleep 1
done
[[ -n $token ]] || die "member: the API server did not fill in Secret clawrate-hub-token"
token=$(base64 -d <<<"$token")
ca=$(m -n "$NS" get secret clawrate-hub-token -o jsonpath='{.data.ca\.crt}')
# The hub's operator pods reach the member at its control-plane container on the docker network
# both clusters' nodes share, not at the 127.0.0.1 port kubectl on this machine uses.
server=${MEMBER_SERVER:-$(kind get kubeconfig --name "$MEMBER_CLUSTER" --internal | sed -n 's/^ *server: *//p' | head -n 1)}
[[ $server == https://* ]] || die "member: no API server address for the hub ('$server')"
# $TMP is private (mktemp -d) and removed on exit; the token is never printed.
cat >"$TMP/region-secret.yaml" <<EOF
apiVersion: v1
kind: Secret
metadata:
  name: region-$REGION
  namespace: $NS
  labels:
    clawrate.dev/region: $REGION
type: Opaque
stringData:
  kubeconfig: |
    apiVersion: v1
    kind: Config
    clusters:
      - name: $REGION
        cluster:
          server: $server
          certificate-authority-data: $ca
    users:
      - name: clawrate-hub
        user:
          token: $token
    contexts:
      - name: $REGION
        context: {cluster: $REGION, user: clawrate-hub, namespace: $NS}
    current-context: $REGION
EOF
k apply -f "$TMP/region-secret.yaml" >/dev/null
echo "registered $server as region $REGION"

# The member's raters are ready only once they have a snapshot: the hub's first publish there.
if m -n "$NS" rollout status deploy/clawrate-rater-stable --timeout="${TIMEOUT}s"; then
  pass "member: raters ready in $MEMBER_CLUSTER (the hub published their snapshot)"
else
  die "member: raters in $MEMBER_CLUSTER not ready (did the hub publish? see the operator log)"
fi
warnings=$(k -n "$NS" get events --field-selector "involvedObject.name=region-$REGION,type=Warning" \
  -o jsonpath='{range .items[*]}{.reason}: {.message}{"\n"}{end}' 2>/dev/null || true)
if [[ -z $warnings ]]; then
  pass "region Secret accepted (no Warning Event on it)"
else
  fail "region Secret refused: $warnings"
fi
if wait_for rmodel credit-scorecard '{.status.regionsSynced}' 2/2 &&
  wait_for rmodel credit-scorecard "{.status.regions[?(@.name==\"$REGION\")].state}" Synced; then
  pass "credit-scorecard synced in 2/2 regions, $REGION Synced"
else
  fail "credit-scorecard not synced in $REGION"
fi
if m -n "$NS" get cm clawrate-snapshot-stable >/dev/null 2>&1 &&
  (($(m -n "$NS" get cm -l app.kubernetes.io/component=model-module -o name | wc -l) >= 2)); then
  pass "member holds the snapshot and both models' module ConfigMaps (every model goes everywhere)"
else
  fail "member lacks the snapshot or module ConfigMaps"
fi

log "tenants limited to regions"
k -n "$NS" apply -f examples/resources/tenant-with-fallback.yaml
cat >"$TMP/eu-only.yaml" <<EOF
apiVersion: clawrate.dev/v1alpha1
kind: TenantConfig
metadata:
  name: e2e-eu-only
spec:
  modelRef: {name: credit-scorecard}
  threshold: 650
  regions: [$REGION]
EOF
k -n "$NS" apply -f "$TMP/eu-only.yaml"
if wait_for tenantconfig initech-eu '{.status.regionsSynced}' 2/2 &&
  wait_for tenantconfig e2e-eu-only '{.status.regionsSynced}' 1/1; then
  pass "initech-eu synced in local and $REGION, e2e-eu-only in $REGION alone"
else
  fail "tenants limited to regions not synced"
fi

kubectl --context "$MEMBER_CONTEXT" -n "$NS" port-forward svc/clawrate-rater "$LOCAL_MEMBER_PORT:80" \
  >"$TMP/port-forward-member.log" 2>&1 &
PF_MEMBER_PID=$!
MEMBER_BASE=http://127.0.0.1:$LOCAL_MEMBER_PORT
for ((i = 0; i < 60; i++)); do
  [[ $(curl -s -o /dev/null -w '%{http_code}' "$MEMBER_BASE/v1/rate" 2>/dev/null || true) == 405 ]] && break
  kill -0 "$PF_MEMBER_PID" 2>/dev/null || die "port-forward exited: $(cat "$TMP/port-forward-member.log")"
  sleep 1
done
rate acme-bank examples/requests/applicant.json "$MEMBER_BASE"
if [[ $STATUS == 200 && $(json_field digest) == "$GOOD_DIGEST" ]]; then
  pass "$REGION: acme-bank rated 200 with $GOOD_DIGEST"
else
  fail "$REGION: acme-bank status $STATUS, digest '$(json_field digest)'"
fi
rate e2e-eu-only examples/requests/applicant.json "$MEMBER_BASE"
member_status=$STATUS
rate e2e-eu-only examples/requests/applicant.json
if [[ $member_status == 200 && $STATUS == 404 ]]; then
  pass "e2e-eu-only: 200 in $REGION, 404 (unknown tenant) in local"
else
  fail "e2e-eu-only: $member_status in $REGION, $STATUS in local; want 200 and 404"
fi
rate initech-eu examples/requests/applicant.json "$MEMBER_BASE"
if [[ $STATUS == 200 ]] && grep -q '"decision":"approve"' "$TMP/response.json"; then
  pass "$REGION: initech-eu (examples/resources/tenant-with-fallback.yaml) approved"
else
  fail "$REGION: initech-eu status $STATUS, body $(head -c 400 "$TMP/response.json")"
fi

log "region health from the leader"
leader=$(k -n "$NS" get lease clawrate-operator -o jsonpath='{.spec.holderIdentity}')
# Only the leader publishes, so only its /v1/regions knows; a standby answers Unknown.
kubectl --context "$CONTEXT" -n "$NS" port-forward "pod/$leader" "$LOCAL_OPERATOR_PORT:8081" \
  >"$TMP/port-forward-operator.log" 2>&1 &
PF_OPERATOR_PID=$!
regions=""
for ((i = 0; i < TIMEOUT; i++)); do
  regions=$(curl -fsS "http://127.0.0.1:$LOCAL_OPERATOR_PORT/v1/regions" 2>/dev/null || true)
  [[ $regions == *"\"name\":\"$REGION\",\"state\":\"Healthy\""* &&
    $regions == *'"name":"local","state":"Healthy"'* ]] && break
  sleep 1
done
if [[ $regions == *"\"name\":\"$REGION\",\"state\":\"Healthy\""* &&
  $regions == *'"name":"local","state":"Healthy"'* ]]; then
  pass "/v1/regions on $leader: local and $REGION Healthy"
else
  fail "/v1/regions on $leader: '$regions'"
fi
if curl -fsS "http://127.0.0.1:$LOCAL_OPERATOR_PORT/metrics" 2>/dev/null |
  grep -q "^clawrate_operator_region_healthy{region=\"$REGION\"} 1"; then
  pass "metrics: clawrate_operator_region_healthy{region=\"$REGION\"} 1"
else
  fail "metrics: no clawrate_operator_region_healthy{region=\"$REGION\"} 1"
fi

log "region Secret deleted"
k -n "$NS" delete secret "region-$REGION" >/dev/null
if wait_for rmodel credit-scorecard '{.status.regionsSynced}' 1/1 &&
  wait_for tenantconfig e2e-eu-only '{.status.regions[0].state}' Pending; then
  pass "$REGION left every status; e2e-eu-only lists it Pending (no such region registered)"
else
  fail "$REGION still in status after its Secret was deleted"
fi
rate acme-bank examples/requests/applicant.json "$MEMBER_BASE"
if [[ $STATUS == 200 ]]; then
  pass "$REGION keeps serving its last snapshot after being disconnected"
else
  fail "$REGION: acme-bank status $STATUS after being disconnected"
fi
