// Settings every script reads from the environment. Secrets (API keys, the Kubernetes token) come
// from the environment only and are never logged, tagged or put in a summary: k6 prints request
// headers only with --http-debug=full, which these scripts never need.

/** A region's name as the operator spells it: a DNS label (docs/regions.md). */
const REGION_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * @typedef {object} Region
 * @property {string} name the region's name, a DNS label; tags every request sent to it
 * @property {string} url the base URL callers reach its raters (or its gateway) at, no trailing /
 */

/**
 * A variable that must be set.
 *
 * @param {string} name
 * @returns {string}
 */
export function required(name) {
  const value = __ENV[name];
  if (value === undefined || value.trim() === "") {
    throw new Error(`environment variable ${name} is required (see k6/README.md)`);
  }
  return value.trim();
}

/**
 * A variable, or its default when unset or blank.
 *
 * @param {string} name
 * @param {string} fallback
 * @returns {string}
 */
export function optional(name, fallback) {
  const value = __ENV[name];
  return value === undefined || value.trim() === "" ? fallback : value.trim();
}

/**
 * A positive number from the environment, or its default.
 *
 * @param {string} name
 * @param {number} fallback
 * @returns {number}
 */
export function positiveNumber(name, fallback) {
  const text = optional(name, String(fallback));
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`environment variable ${name} must be a positive number, got '${text}'`);
  }
  return value;
}

/**
 * A base URL: http or https, without a trailing slash. The URL itself is not repeated in the
 * error, since it may carry credentials.
 *
 * @param {string} what where the URL came from, for the error
 * @param {unknown} url
 * @returns {string}
 */
export function baseUrl(what, url) {
  if (typeof url !== "string" || !/^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(url)) {
    throw new Error(`${what} must be an http(s) URL`);
  }
  return url.replace(/\/+$/, "");
}

/**
 * Regions from a JSON object of region name to base URL, e.g.
 * {"eu-west": "https://rate.eu-west.example.com", "us-east": "https://rate.us-east.example.com"}.
 *
 * @param {string} what where the JSON came from, for errors
 * @param {string} json
 * @returns {Region[]}
 */
export function parseRegions(what, json) {
  /** @type {unknown} */
  let parsed;
  try {
    parsed = JSON.parse(json);
  } catch (e) {
    throw new Error(`${what} is not JSON: ${String(e)}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new Error(`${what} must be a JSON object of region name to base URL`);
  }
  /** @type {Record<string, unknown>} */
  const entries = /** @type {Record<string, unknown>} */ (parsed);
  /** @type {Region[]} */
  const regions = [];
  for (const name of Object.keys(entries)) {
    if (!REGION_NAME.test(name)) {
      throw new Error(`${what}: region name '${name}' is not a DNS label`);
    }
    regions.push({ name, url: baseUrl(`${what}: the URL of region ${name}`, entries[name]) });
  }
  if (regions.length === 0) {
    throw new Error(`${what} names no region`);
  }
  return regions;
}

/**
 * Regions from the JSON in `variable` (e.g. CLAWRATE_REGIONS) or the file named by
 * `${variable}_FILE`. Init context only.
 *
 * @param {string} variable
 * @param {(path: string) => string} read the entry script's open(), so a relative path is the
 *     entry script's
 * @returns {Region[]}
 */
export function regionsFromEnv(variable, read) {
  const inline = optional(variable, "");
  if (inline !== "") {
    return parseRegions(variable, inline);
  }
  const file = optional(`${variable}_FILE`, "");
  if (file !== "") {
    return parseRegions(`${variable}_FILE`, read(file));
  }
  throw new Error(`set ${variable} (JSON of region name to URL) or ${variable}_FILE (a file of it)`);
}

/**
 * Optional regions (e.g. the raters' health ports), as {@link regionsFromEnv} reads them; none
 * when neither variable is set.
 *
 * @param {string} variable
 * @param {(path: string) => string} read
 * @returns {Region[]}
 */
export function optionalRegionsFromEnv(variable, read) {
  if (optional(variable, "") === "" && optional(`${variable}_FILE`, "") === "") {
    return [];
  }
  return regionsFromEnv(variable, read);
}

/**
 * The API key to send, from CLAWRATE_API_KEY; null for a tenant without keys.
 *
 * @returns {string | null}
 */
export function apiKeyFromEnv() {
  const key = optional("CLAWRATE_API_KEY", "");
  return key === "" ? null : key;
}

/**
 * The region a scenario was started for (its env CLAWRATE_REGION).
 *
 * @param {Region[]} regions
 * @returns {Region}
 */
export function scenarioRegion(regions) {
  const name = __ENV.CLAWRATE_REGION;
  const region = regions.find((r) => r.name === name);
  if (region === undefined) {
    throw new Error(`no region '${String(name)}' configured for this scenario`);
  }
  return region;
}

/**
 * A share between 0 and 1 from the environment, or its default.
 *
 * @param {string} name
 * @param {number} fallback
 * @returns {number}
 */
export function fraction(name, fallback) {
  const text = optional(name, String(fallback));
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new Error(`environment variable ${name} must be a number from 0 to 1, got '${text}'`);
  }
  return value;
}
