// The day's stops: tier, why it is there (the cadence reason), value rank, drive minutes from the
// previous stop, the lunch break in its place, one labelled visit time range and "be there at"
// when the rep would wait. Reorder by dragging a stop's handle (pointer events, so a finger on
// a phone works as well as a mouse; HTML5 drag and drop does not fire for touch) or by the
// up/down buttons (keyboard, screen readers); remove and pin need a connection (the planner
// re-times the day).
import { useState } from 'preact/hooks';
import { html } from './html.js';
import { StatusChip } from './ui.js';
import { MoveDay } from './move-day.js';
import { stopRows } from '../lib/stops.js';
import { moveStop, dropStop, removeStop, togglePin, friendlyError } from '../lib/steer.js';

export function StopList({ route, due, online, onMessage }) {
  const [dragging, setDragging] = useState(null); // {id, over}
  const [moving, setMoving] = useState(null); // account id whose "another day" form is open
  const rows = stopRows(route);
  const reasons = new Map((due || []).filter((d) => d.touch_type === 'visit').map((d) => [d.account_id, d.reason]));
  const open = rows.filter((r) => r.kind === 'stop' && (r.stop.status || 'planned') === 'planned').map((r) => r.stop.account_id);

  // Pointer drag: the handle captures the pointer; the stop under it is the drop target.
  function targetAt(e) {
    const li = document.elementFromPoint(e.clientX, e.clientY)?.closest?.('li[data-account]');
    const id = li ? Number(li.dataset.account) : null;
    return id != null && open.includes(id) ? id : null;
  }
  const handle = (s) => ({
    onPointerDown: (e) => {
      e.preventDefault();
      e.currentTarget.setPointerCapture?.(e.pointerId);
      setDragging({ id: s.account_id, over: s.account_id });
    },
    onPointerMove: (e) => {
      if (!dragging) return;
      const over = targetAt(e);
      if (over != null && over !== dragging.over) setDragging({ ...dragging, over });
    },
    onPointerUp: (e) => {
      if (!dragging) return;
      const over = targetAt(e) ?? dragging.over;
      const from = dragging.id;
      setDragging(null);
      if (over != null && over !== from) act(() => dropStop(route, from, over), 'Order changed.');
    },
    onPointerCancel: () => setDragging(null),
  });

  async function act(fn, done) {
    try {
      await fn();
      if (done) onMessage(done);
    } catch (err) {
      onMessage(friendlyError(err, 'Could not change the route'));
    }
  }

  return html`
    <ol class="list stops" data-testid="stop-list">
      ${rows.map((r) => {
        if (r.kind === 'break') {
          return html`<li class="list__item stops__break" data-testid="lunch-break">
            <span class="list__row"><span class="stops__seq" aria-hidden="true">☕</span>
            <span class="list__main"><span class="list__title">Lunch break</span><span class="muted">${r.start}–${r.end}</span></span></span></li>`;
        }
        const s = r.stop;
        const planned = (s.status || 'planned') === 'planned';
        const i = open.indexOf(s.account_id);
        const reason = reasons.get(s.account_id);
        return html`
        <li class=${`list__item stop ${dragging?.id === s.account_id ? 'is-dragging' : ''} ${dragging && dragging.over === s.account_id && dragging.id !== s.account_id ? 'is-over' : ''}`}
            data-account=${s.account_id}>
          <a href=${`/accounts/${s.account_id}`} class="list__link">
            <span class="stops__seq" aria-hidden="true">${s.seq}</span>
            <span class="list__main">
              <span class="list__title">${s.name}${s.pinned ? html` <span class="pin" title="Pinned">📌<span class="sr-only"> pinned</span></span>` : ''}</span>
              <span class="muted">${[s.tier && `Tier ${s.tier}`, r.value_rank && `value rank ${r.value_rank}`,
                r.drive_minutes != null && `${r.drive_estimated ? '≈' : ''}${r.drive_minutes} min drive`].filter(Boolean).join(' · ')}</span>
              ${r.visit && html`<span>Visit ${r.visit}${r.be_there_at ? html` · <strong>be there at ${r.be_there_at}</strong> (arrive ${r.arrive}, ${r.wait_minutes} min early)` : ''}</span>`}
              ${s.required && s.windows?.length === 1 && s.windows[0][0] === s.windows[0][1]
                && html`<span data-testid="appointment"><strong>Appointment ${s.windows[0][0]}</strong> (fixed time)</span>`}
              ${reason && html`<span class="muted" data-testid="stop-reason">${reason}</span>`}
              ${s.skip_reason && html`<span class="muted">Skipped: ${s.skip_reason}</span>`}
            </span>
            <${StatusChip} status=${s.status || 'planned'} />
          </a>
          ${planned && html`<div class="stop__tools" role="group" aria-label=${`Steer ${s.name}`}>
            <span class="drag-handle" data-testid="drag-handle" aria-hidden="true" title="Drag to reorder" ...${handle(s)}>⠿</span>
            <button class="btn btn--small" disabled=${i <= 0} onClick=${() => act(() => moveStop(route, s.account_id, -1))}
              aria-label=${`Move ${s.name} up`}>↑</button>
            <button class="btn btn--small" disabled=${i < 0 || i >= open.length - 1} onClick=${() => act(() => moveStop(route, s.account_id, 1))}
              aria-label=${`Move ${s.name} down`}>↓</button>
            <button class="btn btn--small" disabled=${!online} aria-pressed=${s.pinned ? 'true' : 'false'}
              onClick=${() => act(() => togglePin(route, s.account_id), s.pinned ? `${s.name} unpinned.` : `${s.name} pinned: re-plans keep it.`)}>Pin</button>
            <button class="btn btn--small" disabled=${!online} onClick=${() => act(() => removeStop(route, s.account_id), `${s.name} removed from today.`)}>Remove</button>
            <button class="btn btn--small" disabled=${!online} aria-expanded=${moving === s.account_id ? 'true' : 'false'}
              onClick=${() => setMoving(moving === s.account_id ? null : s.account_id)}>Another day</button>
          </div>`}
          ${planned && moving === s.account_id && html`<${MoveDay} route=${route} stop=${s} act=${act}
            onDone=${() => setMoving(null)} onCancel=${() => setMoving(null)} />`}
        </li>`;
      })}
    </ol>
  `;
}
