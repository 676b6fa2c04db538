// Load: ramps the arrival rate of ratings up in stages, holds it, and ramps down, in every region
// at once (or only CLAWRATE_LOAD_REGIONS), and fails when latency, errors or iterations k6 could
// not start (too few VUs for the rate) cross their limits. See README.md in this directory.
import { Rate } from "k6/metrics";
import { fraction, optional, positiveNumber, regionsFromEnv, scenarioRegion } from "./lib/config.js";
import { rateIn } from "./lib/probe.js";
import { ratingFromEnv } from "./lib/rating.js";

// open() called here, in the entry script, so relative paths are this directory's.
const read = (/** @type {string} */ path) => open(path);
const { contract, request } = ratingFromEnv(read);
const allRegions = regionsFromEnv("CLAWRATE_REGIONS", read);
const only = optional("CLAWRATE_LOAD_REGIONS", "")
  .split(",")
  .map((name) => name.trim())
  .filter((name) => name !== "");
const regions = only.length === 0 ? allRegions : allRegions.filter((r) => only.includes(r.name));
if (regions.length === 0) {
  throw new Error("CLAWRATE_LOAD_REGIONS names none of the regions of CLAWRATE_REGIONS");
}

const target = positiveNumber("CLAWRATE_LOAD_RATE", 100);
const rampUp = optional("CLAWRATE_LOAD_RAMP", "2m");
const hold = optional("CLAWRATE_LOAD_HOLD", "5m");
const maxVUs = positiveNumber("CLAWRATE_LOAD_MAX_VUS", 200);
const p95Millis = positiveNumber("CLAWRATE_P95_MS", 100);
const p99Millis = positiveNumber("CLAWRATE_P99_MS", 250);
const maxErrorRate = fraction("CLAWRATE_MAX_ERROR_RATE", 0.001);

/** Answers that are not a well-formed rating of the tenant's own model. */
const errors = new Rate("clawrate_errors");
/** Answers the tenant's fallback gave. */
const fallbackAnswers = new Rate("clawrate_fallback_answers");

/** @type {Record<string, import("k6/options").Scenario>} */
const scenarios = {};
/** @type {Record<string, import("k6/options").Threshold[]>} */
const thresholds = {
  // k6 could not start an iteration when it was due: the run measured less than it was asked to.
  dropped_iterations: [{ threshold: `count<=${Math.ceil(target)}`, abortOnFail: false }],
};
for (const region of regions) {
  scenarios[`load-${region.name}`] = {
    executor: "ramping-arrival-rate",
    startRate: Math.max(1, Math.floor(target / 10)),
    timeUnit: "1s",
    preAllocatedVUs: Math.min(maxVUs, Math.max(1, Math.ceil(target / 10))),
    maxVUs,
    stages: [
      { target: Math.ceil(target / 2), duration: rampUp },
      { target, duration: rampUp },
      { target, duration: hold },
      { target: 0, duration: "30s" },
    ],
    exec: "rate",
    env: { CLAWRATE_REGION: region.name },
    tags: { region: region.name },
  };
  thresholds[`http_req_duration{endpoint:rate,region:${region.name}}`] = [
    `p(95)<${p95Millis}`,
    `p(99)<${p99Millis}`,
  ];
  // Stop early once a region clearly fails, rather than loading a broken service for minutes.
  thresholds[`clawrate_errors{region:${region.name}}`] = [
    { threshold: `rate<=${maxErrorRate}`, abortOnFail: true, delayAbortEval: "30s" },
  ];
}

/** @type {import("k6/options").Options} */
export const options = { scenarios, thresholds };

export function rate() {
  const { verdict, tags } = rateIn(contract, request, scenarioRegion(regions));
  errors.add(!verdict.ok || verdict.fallback, tags);
  fallbackAnswers.add(verdict.fallback, tags);
}
