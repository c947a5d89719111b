// Renders the project's own SVG mark (src/icon.svg) into the PNG sizes the web app manifest
// needs. Runs before every build so the PNGs are never committed and never drift from the SVG.
import { mkdir, readFile, copyFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}public/icons/`;
const svg = await readFile(`${root}src/icon.svg`);

await mkdir(out, { recursive: true });
// "any" icons use the full square; the maskable one adds a safe-zone margin in the theme colour
// so launchers that crop to a circle keep the pin whole.
const jobs = [
  { name: 'icon-192.png', size: 192, pad: 0 },
  { name: 'icon-512.png', size: 512, pad: 0 },
  { name: 'maskable-512.png', size: 512, pad: 52 },
  { name: 'apple-touch-icon.png', size: 180, pad: 0 },
];
for (const { name, size, pad } of jobs) {
  const inner = size - 2 * pad;
  const img = sharp(svg, { density: 300 }).resize(inner, inner);
  const final = pad
    ? sharp({ create: { width: size, height: size, channels: 4, background: '#0b5d6b' } })
        .composite([{ input: await img.png().toBuffer(), top: pad, left: pad }])
    : img;
  await final.png().toFile(out + name);
}
await copyFile(`${root}src/icon.svg`, `${out}icon.svg`);
console.log(`icons written to ${out}`);
