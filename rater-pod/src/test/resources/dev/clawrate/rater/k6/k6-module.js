// Stands in for k6's "k6" module when the scripts' check code runs under node in a test: each
// check is run as k6 runs it, and recorded.
export const results = [];

export function check(value, sets, tags) {
  let all = true;
  for (const [name, predicate] of Object.entries(sets)) {
    const ok = Boolean(predicate(value));
    results.push({ name, ok, tags: tags ?? {} });
    all = all && ok;
  }
  return all;
}
