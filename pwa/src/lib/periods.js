// Period labels as the backend names them (2026-W48, 2026-11, 2026-Q4), from a local ISO date.
import { isoWeek } from './dates.js';

/** The ISO week label of a date: "2026-W49" (one definition, in dates.js). */
export const weekLabel = isoWeek;

export const monthLabel = (isoDate) => isoDate.slice(0, 7);

export function quarterLabel(isoDate) {
  return `${isoDate.slice(0, 4)}-Q${Math.floor((Number(isoDate.slice(5, 7)) - 1) / 3) + 1}`;
}

function previousMonth(isoDate) {
  const y = Number(isoDate.slice(0, 4));
  const m = Number(isoDate.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

function previousQuarter(isoDate) {
  const y = Number(isoDate.slice(0, 4));
  const q = Math.floor((Number(isoDate.slice(5, 7)) - 1) / 3) + 1;
  return q === 1 ? `${y - 1}-Q4` : `${y}-Q${q - 1}`;
}

/** The periods a manager picks from: [{value, label}], this week first. */
export function periodChoices(today) {
  return [
    { value: weekLabel(today), label: `This week (${weekLabel(today)})` },
    { value: monthLabel(today), label: `This month (${monthLabel(today)})` },
    { value: quarterLabel(today), label: `This quarter (${quarterLabel(today)})` },
    { value: previousMonth(today), label: `Last month (${previousMonth(today)})` },
    { value: previousQuarter(today), label: `Last quarter (${previousQuarter(today)})` },
  ];
}
