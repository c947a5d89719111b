// Build config: Vite bundles the app; vite-plugin-pwa compiles our own service worker
// (src/sw.js) and injects the precache manifest into it (injectManifest, because the worker
// must handle push, notification clicks and Background Sync, which generateSW cannot).
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const THEME = '#0b5d6b';
// Tile server template; the default is OpenStreetMap's. Self-hosters set FIELDREP_TILE_URL at
// build time (or rewrite the <meta name="fieldrep-tile-url"> in index.html when serving).
const TILE_URL = process.env.FIELDREP_TILE_URL || 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';

export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: false,
    // Leaflet and the manager screens are split into lazy chunks; this keeps the warning honest
    // for what the first screen loads.
    chunkSizeWarningLimit: 200,
  },
  plugins: [
    {
      name: 'fieldrep-tile-url',
      transformIndexHtml: (html) => html.replace('%FIELDREP_TILE_URL%', TILE_URL)
        .replace('%FIELDREP_CHECKIN_RADIUS_M%', process.env.FIELDREP_CHECKIN_RADIUS_M || '300'),
    },
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.js',
      // Registration lives in src/lib/sw-bridge.js (one module owns it and the update prompt).
      injectRegister: false,
      registerType: 'prompt',
      manifest: {
        id: '/',
        name: 'FieldRep',
        short_name: 'FieldRep',
        description: 'Plan your day, drive the route, log visits offline.',
        start_url: '/today',
        scope: '/',
        display: 'standalone',
        orientation: 'portrait',
        theme_color: THEME,
        background_color: '#ffffff',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
        // The SW itself is built by Vite too; keep it readable in production stack traces.
        minify: true,
      },
      devOptions: { enabled: false },
    }),
  ],
});
