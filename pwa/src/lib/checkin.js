// Check-in: where the rep tapped "Check in", how far that is from the account, and a warning
// (never a block) beyond the configured radius. The position is kept on the device and sent as
// the visit's check-in position when the rep checks out, so the server records it with the visit.
import { getMeta, setMeta } from './db.js';
import { currentPosition } from './geo.js';
import { distanceM } from './search.js';
import { checkinRadiusM } from './config.js';

const key = (routeId, accountId) => `checkin:${routeId}:${accountId}`;

/** {distance_m, beyond, radius_m} from a position to a stop; distance null without a position. */
export function checkinVerdict(pos, stop, radius = 300) {
  if (!pos || stop?.lat == null) return { distance_m: null, beyond: false, radius_m: radius };
  const d = Math.round(distanceM(pos, stop));
  return { distance_m: d, beyond: d > radius, radius_m: radius };
}

/** Take the position (the tap allows the permission prompt), judge it and keep it. */
export async function recordCheckin(routeId, stop) {
  const pos = await currentPosition({ timeout: 6000 });
  const verdict = checkinVerdict(pos, stop, checkinRadiusM());
  const row = { ...verdict, position: pos, at: new Date().toISOString() };
  await setMeta(key(routeId, stop.account_id), row);
  return row;
}

export function checkinOf(routeId, accountId) {
  return getMeta(key(routeId, accountId), null);
}
