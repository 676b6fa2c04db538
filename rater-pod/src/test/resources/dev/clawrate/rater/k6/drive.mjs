// Sends the request the k6 scripts build to a rater and checks the answer with the scripts' own
// code, as k6 would hand it over: node drive.mjs <base url> <tenant> <applicant file> [api key].
// Prints {"verdict": ..., "checks": [{"name", "ok"}...]}.
import { readFileSync } from "node:fs";
import { results } from "k6";
import { checkRating, ratingFromEnv } from "./lib/rating.js";

const [, , url, tenant, applicant, apiKey] = process.argv;
globalThis.__ENV = {
  CLAWRATE_TENANT: tenant,
  CLAWRATE_APPLICANT: applicant,
  CLAWRATE_API_KEY: apiKey ?? "",
};

const { contract, request } = ratingFromEnv((path) =>
  readFileSync(new URL(path, import.meta.url), "utf8"),
);

// k6 hands response headers over in Go's canonical form (X-Clawrate-Revision).
const canonical = (name) =>
  name
    .split("-")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1).toLowerCase())
    .join("-");

const started = Date.now();
const response = await fetch(url + request.path, {
  method: "POST",
  headers: request.headers,
  body: request.body,
});
const body = await response.text();
const headers = {};
response.headers.forEach((value, name) => {
  headers[canonical(name)] = value;
});
const res = { status: response.status, body, headers, timings: { duration: Date.now() - started } };
const verdict = checkRating(contract, request.tenant, res, { region: "test" });
console.log(JSON.stringify({ verdict, checks: results }));
