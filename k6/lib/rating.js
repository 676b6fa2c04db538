// The rating API as the scripts use it: the request they send and what they check in the answer,
// both taken from lib/contract.json, which RatingContractShapesTest checks against a real rater.
import { check } from "k6";
import { apiKeyFromEnv, optional } from "./config.js";

/**
 * @typedef {"string" | "number" | "boolean" | "object"} FieldType
 *
 * @typedef {object} RequestContract
 * @property {string} method
 * @property {string} path
 * @property {string} applicant the example request body, relative to the repository's root
 * @property {string} tenant the tenant rated when CLAWRATE_TENANT is not set
 * @property {string} contentType
 * @property {string} tenantHeader
 * @property {string} apiKeyHeader
 * @property {string} apiKeyScheme
 *
 * @typedef {object} AnswerContract
 * @property {number} status
 * @property {Record<string, FieldType>} fields
 * @property {string} digestPattern
 * @property {string[]} decisions
 * @property {string} fallbackDecisionPattern
 * @property {string[]} tracks
 * @property {string} fallbackField
 * @property {string} fallbackReasonField
 * @property {string[]} fallbackReasons
 * @property {string} revisionHeader
 * @property {string} fallbackHeader
 *
 * @typedef {object} ReadinessContract
 * @property {string} path
 * @property {number} status
 * @property {Record<string, FieldType>} fields
 * @property {string} ready
 *
 * @typedef {object} GatewayContract
 * @property {string} backendHeader
 * @property {string} stableService
 * @property {string} canaryService
 *
 * @typedef {object} Contract
 * @property {RequestContract} request
 * @property {AnswerContract} answer
 * @property {ReadinessContract} readiness
 * @property {GatewayContract} gateway
 *
 * @typedef {object} RatingRequest
 * @property {string} path
 * @property {string} body
 * @property {Record<string, string>} headers
 * @property {string} tenant
 *
 * @typedef {object} Verdict what one answer showed
 * @property {boolean} ok a well-formed 200 rating, from the tenant's model or its fallback
 * @property {boolean} fallback answered by the tenant's fallback (degraded)
 * @property {boolean} serverError a 5xx, or no answer at all
 * @property {string | null} track the track the answer names
 * @property {string | null} decision
 * @property {boolean} decisionKnown a decision is present and one the contract documents
 */

/**
 * The contract, from the text of lib/contract.json (read with open() in the init context).
 *
 * @param {string} text
 * @returns {Contract}
 */
export function parseContract(text) {
  const contract = /** @type {Contract} */ (JSON.parse(text));
  if (!contract.request || !contract.answer || !contract.readiness || !contract.gateway) {
    throw new Error("lib/contract.json lacks request, answer, readiness or gateway");
  }
  return contract;
}

/**
 * The request to send: the applicant file's JSON, compacted, for `tenant`, with the API key as the
 * contract says when there is one.
 *
 * @param {Contract} contract
 * @param {string} applicant the applicant file's text
 * @param {string} tenant
 * @param {string | null} apiKey
 * @returns {RatingRequest}
 */
export function ratingRequest(contract, applicant, tenant, apiKey) {
  /** @type {unknown} */
  let body;
  try {
    body = JSON.parse(applicant);
  } catch (e) {
    throw new Error(`the applicant file is not JSON: ${String(e)}`);
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new Error("the applicant file must hold a JSON object");
  }
  const req = contract.request;
  /** @type {Record<string, string>} */
  const headers = { "Content-Type": req.contentType, [req.tenantHeader]: tenant };
  if (apiKey !== null) {
    headers[req.apiKeyHeader] = `${req.apiKeyScheme} ${apiKey}`;
  }
  return { path: req.path, body: JSON.stringify(body), headers, tenant };
}

/**
 * Whether `value` is of the JSON type named.
 *
 * @param {unknown} value
 * @param {FieldType} type
 * @returns {boolean}
 */
export function isOfType(value, type) {
  if (type === "object") {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }
  return typeof value === type;
}

/**
 * A response's JSON object body, or null when it has none.
 *
 * @param {import("k6/http").RefinedResponse<"text">} res
 * @returns {Record<string, unknown> | null}
 */
export function jsonObject(res) {
  if (typeof res.body !== "string" || res.body === "") {
    return null;
  }
  try {
    const parsed = JSON.parse(res.body);
    return isOfType(parsed, "object") ? /** @type {Record<string, unknown>} */ (parsed) : null;
  } catch (e) {
    return null;
  }
}

/**
 * Checks a rating answer as the contract documents it, recording one k6 check per property (so a
 * failure says which), tagged with `tags`. A fallback's answer is well-formed but degraded: its
 * rating may be null and its decision the tenant's fixed one.
 *
 * @param {Contract} contract
 * @param {string} tenant the tenant the request named
 * @param {import("k6/http").RefinedResponse<"text">} res
 * @param {Record<string, string>} tags
 * @returns {Verdict}
 */
export function checkRating(contract, tenant, res, tags) {
  const a = contract.answer;
  const body = res.status === a.status ? jsonObject(res) : null;
  const fallback = body !== null && body[a.fallbackField] === true;
  const decision = body !== null && typeof body.decision === "string" ? body.decision : null;
  const track = body !== null && typeof body.track === "string" ? body.track : null;
  const digest = new RegExp(a.digestPattern);
  const fixedDecision = new RegExp(a.fallbackDecisionPattern);
  const decisionKnown =
    decision !== null && (fallback ? fixedDecision.test(decision) : a.decisions.includes(decision));
  /** @type {Record<string, (r: import("k6/http").RefinedResponse<"text">) => boolean>} */
  const checks = {
    [`status is ${a.status}`]: (r) => r.status === a.status,
    "answer is a JSON object": () => body !== null,
    "answer has every documented field": () =>
      body !== null &&
      Object.keys(a.fields).every(
        (field) =>
          field in body &&
          (isOfType(body[field], a.fields[field]) || (fallback && field === "rating" && body[field] === null)),
      ),
    "decision is a documented value": () => decisionKnown,
    "tenant is the one asked for": () => body !== null && body.tenant === tenant,
    "digest is a sha256": () => body !== null && typeof body.digest === "string" && digest.test(body.digest),
    "track is stable or canary": () => track !== null && a.tracks.includes(track),
    "revision header is a number": (r) => /^[0-9]+$/.test(r.headers[a.revisionHeader] || ""),
    "fallback names its reason": () =>
      !fallback ||
      (body !== null &&
        typeof body[a.fallbackReasonField] === "string" &&
        a.fallbackReasons.includes(String(body[a.fallbackReasonField]))),
  };
  const wellFormed = check(res, checks, tags);
  check(res, { "answered by the tenant's own model": () => body !== null && !fallback }, tags);
  return {
    ok: wellFormed,
    fallback,
    serverError: res.status === 0 || res.status >= 500,
    track,
    decision,
    decisionKnown,
  };
}

/**
 * Checks a rater's readiness answer: ready, naming its track and live revision.
 *
 * @param {Contract} contract
 * @param {import("k6/http").RefinedResponse<"text">} res
 * @param {Record<string, string>} tags
 * @returns {boolean}
 */
export function checkReadiness(contract, res, tags) {
  const r = contract.readiness;
  const body = res.status === r.status ? jsonObject(res) : null;
  return check(
    res,
    {
      [`readyz is ${r.status}`]: (x) => x.status === r.status,
      "readyz says ready": () => body !== null && body.status === r.ready,
      "readyz names track and revision": () =>
        body !== null && Object.keys(r.fields).every((f) => isOfType(body[f], r.fields[f])),
    },
    tags,
  );
}

/**
 * @typedef {object} Setup
 * @property {Contract} contract
 * @property {RatingRequest} request
 */

/**
 * The contract and the request every script sends: the tenant from CLAWRATE_TENANT (default the
 * contract's example tenant), the body from the file CLAWRATE_APPLICANT (default the example
 * applicant), the key from CLAWRATE_API_KEY. Init context only.
 *
 * @param {(path: string) => string} read the entry script's open(), so relative paths are the
 *     entry script's
 * @returns {Setup}
 */
export function ratingFromEnv(read) {
  const contract = parseContract(read("./lib/contract.json"));
  const applicant = read(optional("CLAWRATE_APPLICANT", `../${contract.request.applicant}`));
  const tenant = optional("CLAWRATE_TENANT", contract.request.tenant);
  return { contract, request: ratingRequest(contract, applicant, tenant, apiKeyFromEnv()) };
}
