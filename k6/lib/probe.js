// The one rating request every script sends: the contract's request to a region's base URL,
// tagged with the region, its answer checked. Apart from rating.js so that rating.js stays free
// of k6/http and runs under node in the tests.
import http from "k6/http";
import { checkRating } from "./rating.js";

/**
 * Rates the contract's request in `region` and checks the answer.
 *
 * @param {import("./rating.js").Contract} contract
 * @param {import("./rating.js").RatingRequest} request
 * @param {import("./config.js").Region} region
 * @returns {{ verdict: import("./rating.js").Verdict, tags: Record<string, string> }}
 */
export function rateIn(contract, request, region) {
  const tags = { region: region.name };
  const res = http.post(region.url + request.path, request.body, {
    headers: request.headers,
    responseType: "text",
    tags: { endpoint: "rate", region: region.name },
  });
  return { verdict: checkRating(contract, request.tenant, res, tags), tags };
}
