// Synthetic monitoring: rates the example applicant in every region at a steady trickle, checks
// every answer as contract 3 documents it, and fails when a region is slow, answers wrongly or
// falls back. Also checks each rater's /readyz when CLAWRATE_HEALTH_URLS is set. Its traffic keeps
// a quiet tenant's SLOs judgeable (docs/alerts.md). See README.md in this directory.
import http from "k6/http";
import { Rate } from "k6/metrics";
import {
  fraction,
  optional,
  optionalRegionsFromEnv,
  positiveNumber,
  regionsFromEnv,
  scenarioRegion,
} from "./lib/config.js";
import { rateIn } from "./lib/probe.js";
import { checkReadiness, ratingFromEnv } from "./lib/rating.js";

// open() called here, in the entry script, so relative paths are this directory's.
const read = (/** @type {string} */ path) => open(path);
const { contract, request } = ratingFromEnv(read);
const regions = regionsFromEnv("CLAWRATE_REGIONS", read);
const healthRegions = optionalRegionsFromEnv("CLAWRATE_HEALTH_URLS", read);
const p95Millis = positiveNumber("CLAWRATE_P95_MS", 300);
const minOkRate = fraction("CLAWRATE_MIN_OK_RATE", 0.99);
const maxFallbackRate = fraction("CLAWRATE_MAX_FALLBACK_RATE", 0.01);
const everySeconds = positiveNumber("CLAWRATE_INTERVAL_SECONDS", 5);
const duration = optional("CLAWRATE_DURATION", "1m");

/** Well-formed 200 ratings, per region. */
const ratingOk = new Rate("clawrate_rating_ok");
/** Answers whose decision is present and one the contract documents, per region. */
const decisionPresent = new Rate("clawrate_decision_present");
/** Answers the tenant's fallback gave: a 200, but degraded. */
const fallbackAnswers = new Rate("clawrate_fallback_answers");
/** Raters answering /readyz as ready. */
const ready = new Rate("clawrate_ready");

/**
 * One probe every `everySeconds` for `duration`, for the region named.
 *
 * @param {string} exec
 * @param {string} region
 * @returns {import("k6/options").Scenario}
 */
function probe(exec, region) {
  return {
    executor: "constant-arrival-rate",
    rate: 1,
    timeUnit: `${everySeconds}s`,
    duration,
    preAllocatedVUs: 1,
    maxVUs: 4,
    exec,
    env: { CLAWRATE_REGION: region },
    tags: { region },
  };
}

/** @type {Record<string, import("k6/options").Scenario>} */
const scenarios = {};
/** @type {Record<string, string[]>} */
const thresholds = {};
for (const region of regions) {
  scenarios[`rate-${region.name}`] = probe("rate", region.name);
  thresholds[`http_req_duration{endpoint:rate,region:${region.name}}`] = [`p(95)<${p95Millis}`];
  thresholds[`clawrate_rating_ok{region:${region.name}}`] = [`rate>=${minOkRate}`];
  thresholds[`clawrate_decision_present{region:${region.name}}`] = [`rate>=${minOkRate}`];
  thresholds[`clawrate_fallback_answers{region:${region.name}}`] = [`rate<=${maxFallbackRate}`];
}
for (const region of healthRegions) {
  scenarios[`ready-${region.name}`] = probe("readiness", region.name);
  thresholds[`clawrate_ready{region:${region.name}}`] = ["rate==1"];
}
thresholds.checks = [`rate>=${minOkRate}`];

/** @type {import("k6/options").Options} */
export const options = { scenarios, thresholds };

export function rate() {
  const { verdict, tags } = rateIn(contract, request, scenarioRegion(regions));
  ratingOk.add(verdict.ok, tags);
  decisionPresent.add(verdict.decisionKnown, tags);
  fallbackAnswers.add(verdict.fallback, tags);
}

export function readiness() {
  const region = scenarioRegion(healthRegions);
  const tags = { region: region.name };
  const res = http.get(region.url + contract.readiness.path, {
    responseType: "text",
    tags: { endpoint: "readyz", region: region.name },
  });
  ready.add(checkReadiness(contract, res, tags), tags);
}
