// URL segments are strings; the server's ids are integers. IndexedDB keys are type-sensitive
// (7 !== "7"), so numeric segments are turned back into numbers before any lookup.
export function accountKey(segment) {
  return /^\d+$/.test(segment) ? Number(segment) : segment;
}
