// Canary watch: during a CanaryRelease, rates through each region's gateway (the route the release
// moves), sorts every answer by the track that served it, and holds each track to its own error
// rate and p95 latency, so a canary that is worse fails the run even while its share of the
// traffic is too small to move the totals. With CLAWRATE_KUBE_API, CLAWRATE_KUBE_TOKEN and
// CLAWRATE_CANARY_RELEASE it also polls the release's phase and fails if it rolls back. See
// README.md in this directory.
import http from "k6/http";
import { Counter, Rate, Trend } from "k6/metrics";
import {
  baseUrl,
  fraction,
  optional,
  positiveNumber,
  regionsFromEnv,
  required,
  scenarioRegion,
} from "./lib/config.js";
import { checkRating, jsonObject, ratingFromEnv } from "./lib/rating.js";

// open() called here, in the entry script, so relative paths are this directory's.
const read = (/** @type {string} */ path) => open(path);
const { contract, request } = ratingFromEnv(read);
const gateways = regionsFromEnv("CLAWRATE_GATEWAYS", read);
const ratePerSecond = positiveNumber("CLAWRATE_CANARY_RATE", 20);
const duration = optional("CLAWRATE_DURATION", "10m");
const maxErrorRate = fraction("CLAWRATE_MAX_ERROR_RATE", 0.01);
const p95Millis = positiveNumber("CLAWRATE_P95_MS", 100);
const stableService = optional("CLAWRATE_STABLE_SERVICE", contract.gateway.stableService);
const canaryService = optional("CLAWRATE_CANARY_SERVICE", contract.gateway.canaryService);

const kubeApi = optional("CLAWRATE_KUBE_API", "");
const release = optional("CLAWRATE_CANARY_RELEASE", "");
const watchPhase = kubeApi !== "" && release !== "";
const kubeToken = watchPhase ? required("CLAWRATE_KUBE_TOKEN") : "";

/** Latency of each answer, tagged with the track that served it. */
const latency = new Trend("clawrate_track_latency", true);
/** Server errors, malformed answers and fallback answers, by track (what canary analysis counts). */
const errors = new Rate("clawrate_track_errors");
/** Answers by track, to see the split the route gives. */
const answers = new Counter("clawrate_track_answers");
/** Polls that found the release rolled back. */
const rolledBack = new Rate("clawrate_canary_rolled_back");
/** Polls by the phase they found. */
const phases = new Counter("clawrate_canary_phase_seen");

/** @type {Record<string, import("k6/options").Scenario>} */
const scenarios = {};
for (const gateway of gateways) {
  scenarios[`rate-${gateway.name}`] = {
    executor: "constant-arrival-rate",
    rate: ratePerSecond,
    timeUnit: "1s",
    duration,
    preAllocatedVUs: Math.max(1, Math.ceil(ratePerSecond / 10)),
    maxVUs: Math.max(10, ratePerSecond * 2),
    exec: "rate",
    env: { CLAWRATE_REGION: gateway.name },
    tags: { region: gateway.name },
  };
}
if (watchPhase) {
  scenarios.phase = {
    executor: "constant-arrival-rate",
    rate: 1,
    timeUnit: `${positiveNumber("CLAWRATE_PHASE_POLL_SECONDS", 5)}s`,
    duration,
    preAllocatedVUs: 1,
    maxVUs: 2,
    exec: "phase",
  };
}

/** @type {Record<string, import("k6/options").Threshold[]>} */
const thresholds = {};
for (const track of contract.answer.tracks) {
  thresholds[`clawrate_track_errors{track:${track}}`] = [`rate<=${maxErrorRate}`];
  thresholds[`clawrate_track_latency{track:${track}}`] = [`p(95)<${p95Millis}`];
  // Listed so the end-of-test summary shows the split between the tracks.
  thresholds[`clawrate_track_answers{track:${track}}`] = ["count>=0"];
}
if (watchPhase) {
  thresholds.clawrate_canary_rolled_back = [{ threshold: "rate==0", abortOnFail: true }];
}

/** @type {import("k6/options").Options} */
export const options = {
  scenarios,
  thresholds,
  // A kube API with its own CA: only when asked, and for this run only.
  insecureSkipTLSVerify: optional("CLAWRATE_KUBE_INSECURE", "false") === "true",
};

/**
 * The track that served an answer: the gateway's backend header when it names a known Service (the
 * local run's gateway sets it), else the track the rater's answer names, else "unknown" (an error
 * from the gateway itself).
 *
 * @param {import("k6/http").RefinedResponse<"text">} res
 * @returns {string}
 */
function trackOf(res) {
  const backend = res.headers[contract.gateway.backendHeader];
  if (backend === stableService) {
    return "stable";
  }
  if (backend === canaryService) {
    return "canary";
  }
  const body = jsonObject(res);
  const track = body === null ? null : body.track;
  return typeof track === "string" && contract.answer.tracks.includes(track) ? track : "unknown";
}

export function rate() {
  const gateway = scenarioRegion(gateways);
  const res = http.post(gateway.url + request.path, request.body, {
    headers: request.headers,
    responseType: "text",
    tags: { endpoint: "rate", region: gateway.name },
  });
  const tags = { region: gateway.name, track: trackOf(res) };
  const verdict = checkRating(contract, request.tenant, res, tags);
  latency.add(res.timings.duration, tags);
  errors.add(!verdict.ok || verdict.fallback || verdict.serverError, tags);
  answers.add(1, tags);
}

/** The release's path in the API: `namespace/name`. */
function releasePath() {
  const parts = release.split("/");
  if (parts.length !== 2 || parts[0] === "" || parts[1] === "") {
    throw new Error("CLAWRATE_CANARY_RELEASE must be namespace/name");
  }
  return `/apis/clawrate.dev/v1alpha1/namespaces/${encodeURIComponent(parts[0])}/canaryreleases/${encodeURIComponent(parts[1])}`;
}

export function phase() {
  const api = baseUrl("CLAWRATE_KUBE_API", kubeApi);
  const res = http.get(api + releasePath(), {
    headers: { Authorization: `Bearer ${kubeToken}`, Accept: "application/json" },
    responseType: "text",
    tags: { endpoint: "canaryrelease" },
  });
  const body = jsonObject(res);
  const status = body !== null && typeof body.status === "object" && body.status !== null ? body.status : null;
  const current = status !== null && "phase" in status && typeof status.phase === "string" ? status.phase : "Unknown";
  phases.add(1, { phase: current });
  rolledBack.add(current === "RolledBack");
}
