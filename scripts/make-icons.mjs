#!/usr/bin/env node
// Draws Guardia's app icon and tray icons (a shield-like disc per severity colour) as PNGs into
// resources/, so the images are reproducible from source rather than opaque binaries.
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function crc32(buf) {
  let c, crc = 0xffffffff;
  for (let n = 0; n < buf.length; n++) {
    c = (crc ^ buf[n]) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

function png(size, pixel) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel(x + 0.5, y + 0.5, size);
      const o = y * (size * 4 + 1) + 1 + x * 4;
      raw[o] = r; raw[o + 1] = g; raw[o + 2] = b; raw[o + 3] = a;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; ihdr[9] = 6; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** A filled disc with a darker ring and a centre dot: readable at 16 px in any tray. */
function disc([r, g, b]) {
  return (x, y, size) => {
    const c = size / 2, d = Math.hypot(x - c, y - c) / c;
    const edge = Math.max(0, Math.min(1, (0.95 - d) * size / 2));
    if (d > 0.95) return [0, 0, 0, 0];
    const ring = d > 0.78;
    const dot = d < 0.28;
    const k = ring ? 0.7 : dot ? 1.25 : 1;
    return [Math.min(255, r * k), Math.min(255, g * k), Math.min(255, b * k), Math.round(255 * edge)];
  };
}

const colours = { ok: [46, 160, 67], p1: [218, 54, 51], p2: [230, 120, 30], p3: [210, 170, 30], p4: [80, 130, 220], stale: [120, 126, 134] };
mkdirSync(`${root}resources/tray`, { recursive: true });
for (const [name, rgb] of Object.entries(colours)) {
  writeFileSync(`${root}resources/tray/tray-${name}.png`, png(32, disc(rgb)));
}
writeFileSync(`${root}resources/icon.png`, png(512, disc([64, 150, 230])));
console.log('icons written to resources/');
