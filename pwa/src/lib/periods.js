// Period labels as the backend names them (2026-W48, 2026-11, 2026-Q4), from a local ISO date.

/** The ISO week label of a date: "2026-W49". */
export function weekLabel(isoDate) {
  const d = new Date(`${isoDate}T12:00:00Z`);
  const dow = (d.getUTCDay() + 6) % 7; // Monday = 0
  d.setUTCDate(d.getUTCDate() - dow + 3); // the Thursday of this week decides the year
  const year = d.getUTCFullYear();
  const week = 1 + Math.floor((d - Date.UTC(year, 0, 1, 12)) / 86400000 / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

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
