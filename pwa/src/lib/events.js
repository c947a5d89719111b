// A tiny in-page event bus, so lib modules can announce facts ("outbox changed", "update
// required") without importing the modules that react to them (keeps the import graph acyclic).
const target = new EventTarget();

export function emit(type, detail) {
  target.dispatchEvent(new CustomEvent(type, { detail }));
}

export function on(type, fn) {
  const handler = (e) => fn(e.detail);
  target.addEventListener(type, handler);
  return () => target.removeEventListener(type, handler);
}
