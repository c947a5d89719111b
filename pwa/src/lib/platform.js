// What the platform can do, from its user agent and display mode (pure; unit-tested).

/** iPhone/iPad Safari outside an installed Home Screen app: iOS delivers no web push there. */
export function iosNeedsHomeScreen(ua = navigator.userAgent, standalone = window.matchMedia?.('(display-mode: standalone)').matches || navigator.standalone === true) {
  const ios = /iPhone|iPad|iPod/.test(ua) || (/Macintosh/.test(ua) && navigator.maxTouchPoints > 1);
  return ios && !standalone;
}
