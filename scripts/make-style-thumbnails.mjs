#!/usr/bin/env node
// Draws one small thumbnail per style preset into resources/styles/<preset>.webp
// (plus none.webp). Each is an SVG composed here, rendered by sharp. Run once;
// the WebP files are committed and bundled by Vite, nothing is fetched at run time.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Buffer } from 'node:buffer';
import { join } from 'node:path';
import sharp from 'sharp';

const size = 128;
const outDir = join(import.meta.dirname, '..', 'resources', 'styles');

/** Deterministic pseudo-random numbers, so re-running gives identical files. */
const prng = (seed) => () => {
  seed = (seed * 1664525 + 1013904223) % 4294967296;
  return seed / 4294967296;
};

const svg = (body, defs = '') =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 96 96"><defs>${defs}</defs>${body}</svg>`;

const linear = (id, stops, x2 = 0, y2 = 1) =>
  `<linearGradient id="${id}" x1="0" y1="0" x2="${x2}" y2="${y2}">${stops
    .map(([offset, color]) => `<stop offset="${offset}" stop-color="${color}"/>`)
    .join('')}</linearGradient>`;

const radial = (id, stops, cx = 0.5, cy = 0.5, r = 0.5) =>
  `<radialGradient id="${id}" cx="${cx}" cy="${cy}" r="${r}">${stops
    .map(([offset, color, opacity = 1]) => `<stop offset="${offset}" stop-color="${color}" stop-opacity="${opacity}"/>`)
    .join('')}</radialGradient>`;

const styles = {
  // Vivid, polished landscape: the "make it look good" preset.
  enhance: () =>
    svg(
      `<rect width="96" height="96" fill="url(#sky)"/>
       <circle cx="66" cy="40" r="13" fill="url(#sun)"/>
       <path d="M0 62 Q20 46 40 58 T80 54 T96 56 V96 H0Z" fill="#3f7d4e"/>
       <path d="M0 72 Q26 58 52 70 T96 66 V96 H0Z" fill="#5fae4f"/>
       <path d="M0 84 Q30 74 60 84 T96 82 V96 H0Z" fill="#8ccf55"/>
       <path d="M44 96 Q50 80 58 72" stroke="#e9d9a6" stroke-width="3" fill="none" stroke-linecap="round"/>`,
      linear('sky', [
        [0, '#3b2a7a'],
        [0.45, '#d45a8a'],
        [0.8, '#ffb35c'],
      ]) +
        radial('sun', [
          [0, '#fff6c8'],
          [0.6, '#ffd36b'],
          [1, '#ff9d4a'],
        ]),
    ),

  // Cel-shaded sky, a snow-capped peak and cherry blossoms.
  anime: () => {
    const rand = prng(7);
    let petals = '';
    for (let i = 0; i < 14; i++) {
      const x = rand() * 96;
      const y = rand() * 60;
      petals += `<ellipse cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" rx="2.2" ry="1.3" transform="rotate(${Math.round(rand() * 180)} ${x.toFixed(1)} ${y.toFixed(1)})" fill="#ffc2dc"/>`;
    }
    return svg(
      `<rect width="96" height="96" fill="url(#sky)"/>
       <ellipse cx="22" cy="24" rx="16" ry="6" fill="#fff" opacity=".9"/>
       <ellipse cx="30" cy="20" rx="10" ry="6" fill="#fff" opacity=".9"/>
       <path d="M8 78 L48 30 L88 78Z" fill="#5b6fd6"/>
       <path d="M48 30 L88 78 H48Z" fill="#4658bd"/>
       <path d="M38 42 L48 30 L58 42 L53 40 L48 45 L43 40Z" fill="#fff"/>
       <rect y="76" width="96" height="20" fill="#3a9c6a"/>
       <rect y="76" width="96" height="4" fill="#4fc183"/>
       <circle cx="84" cy="14" r="16" fill="#ff9ec7"/>
       <circle cx="72" cy="8" r="10" fill="#ffb3d3"/>
       <path d="M90 30 L82 96" stroke="#6b3b3b" stroke-width="4"/>
       ${petals}`,
      linear('sky', [
        [0, '#7cc7ff'],
        [1, '#dff3ff'],
      ]),
    );
  },

  // Shallow depth of field: soft bokeh behind a sharp lens.
  photographic: () => {
    const rand = prng(11);
    let bokeh = '';
    const colors = ['#ffcf7a', '#ff9f5a', '#fff0c0', '#9fd0ff'];
    for (let i = 0; i < 12; i++) {
      bokeh += `<circle cx="${(rand() * 96).toFixed(1)}" cy="${(rand() * 96).toFixed(1)}" r="${(4 + rand() * 8).toFixed(1)}" fill="${colors[i % colors.length]}" opacity="${(0.25 + rand() * 0.35).toFixed(2)}"/>`;
    }
    return svg(
      `<rect width="96" height="96" fill="url(#bg)"/>
       <g filter="url(#blur)">${bokeh}</g>
       <circle cx="48" cy="50" r="24" fill="#101014" stroke="#3a3a42" stroke-width="3"/>
       <circle cx="48" cy="50" r="17" fill="url(#glass)"/>
       <circle cx="48" cy="50" r="8" fill="#07070a"/>
       <ellipse cx="42" cy="43" rx="5" ry="3" fill="#fff" opacity=".55" transform="rotate(-30 42 43)"/>`,
      linear('bg', [
        [0, '#2a2230'],
        [1, '#0f0d12'],
      ]) +
        radial('glass', [
          [0, '#3d6b8f'],
          [0.7, '#1c2d4a'],
          [1, '#0b0f1c'],
        ]) +
        '<filter id="blur" x="-20%" y="-20%" width="140%" height="140%"><feGaussianBlur stdDeviation="2.2"/></filter>',
    );
  },

  // Glowing geometric shapes on a saturated gradient.
  'digital-art': () =>
    svg(
      `<rect width="96" height="96" fill="url(#bg)"/>
       <circle cx="48" cy="48" r="30" fill="none" stroke="#7ff6ff" stroke-width="2" filter="url(#glow)"/>
       <path d="M48 16 L76 64 H20Z" fill="url(#tri)" opacity=".9"/>
       <circle cx="48" cy="50" r="10" fill="#fff" filter="url(#glow)"/>
       <path d="M0 80 L96 62" stroke="#ff6bd6" stroke-width="1.5" opacity=".8"/>
       <path d="M0 88 L96 70" stroke="#7ff6ff" stroke-width="1" opacity=".6"/>`,
      linear(
        'bg',
        [
          [0, '#2b0d6b'],
          [0.5, '#9b1fa8'],
          [1, '#ff5f6d'],
        ],
        1,
        1,
      ) +
        linear('tri', [
          [0, '#40e0ff'],
          [1, '#7b2cff'],
        ]) +
        '<filter id="glow" x="-50%" y="-50%" width="200%" height="200%"><feGaussianBlur stdDeviation="1.6" result="b"/><feMerge><feMergeNode in="b"/><feMergeNode in="SourceGraphic"/></feMerge></filter>',
    ),

  // Halftone dots, a bold starburst with ink outlines.
  'comic-book': () =>
    svg(
      `<rect width="96" height="96" fill="#2f8fe0"/>
       <rect width="96" height="96" fill="url(#dots)"/>
       <path d="M48 6 L56 30 L82 20 L68 42 L92 52 L66 58 L76 84 L52 68 L40 92 L36 66 L10 74 L26 54 L4 40 L30 36 L22 12 L42 28Z" fill="#ffe13b" stroke="#111" stroke-width="3" stroke-linejoin="round"/>
       <path d="M48 26 L53 40 L68 38 L57 48 L64 62 L49 55 L38 66 L39 51 L26 46 L40 41Z" fill="#ff3b30" stroke="#111" stroke-width="2.5" stroke-linejoin="round"/>`,
      '<pattern id="dots" width="6" height="6" patternUnits="userSpaceOnUse"><circle cx="3" cy="3" r="1.4" fill="#1b5fa6"/></pattern>',
    ),

  // A castle under a magic night sky.
  'fantasy-art': () => {
    const rand = prng(3);
    let stars = '';
    for (let i = 0; i < 22; i++) {
      stars += `<circle cx="${(rand() * 96).toFixed(1)}" cy="${(rand() * 50).toFixed(1)}" r="${(0.4 + rand() * 0.8).toFixed(2)}" fill="#fff" opacity="${(0.5 + rand() * 0.5).toFixed(2)}"/>`;
    }
    return svg(
      `<rect width="96" height="96" fill="url(#sky)"/>
       ${stars}
       <circle cx="70" cy="22" r="10" fill="#fff4d6" filter="url(#glow)"/>
       <path d="M0 80 Q24 60 48 70 T96 64 V96 H0Z" fill="#2a1a4a"/>
       <g fill="#180f2e">
         <rect x="30" y="44" width="36" height="30"/>
         <rect x="26" y="34" width="10" height="40"/>
         <rect x="60" y="34" width="10" height="40"/>
         <rect x="43" y="26" width="10" height="48"/>
         <path d="M25 34 L31 22 L37 34Z M59 34 L65 22 L71 34Z M42 26 L48 12 L54 26Z"/>
       </g>
       <rect x="46" y="34" width="4" height="6" rx="2" fill="#ffcf6b"/>
       <rect x="29" y="44" width="3" height="5" rx="1.5" fill="#ffcf6b"/>
       <rect x="63" y="46" width="3" height="5" rx="1.5" fill="#ffcf6b"/>
       <path d="M0 96 Q30 78 62 88 T96 84 V96Z" fill="#120a24"/>`,
      linear('sky', [
        [0, '#1a1150'],
        [0.6, '#5b2a8c'],
        [1, '#c0569e'],
      ]) +
        '<filter id="glow" x="-60%" y="-60%" width="220%" height="220%"><feGaussianBlur stdDeviation="2.5" result="b"/><feMerge><feMergeNode in="b"/><feMergeNode in="SourceGraphic"/></feMerge></filter>',
    );
  },

  // Faded warm colours, grain and a film strip with sprocket holes.
  'analog-film': () => {
    let holes = '';
    for (let x = 4; x < 96; x += 11) {
      holes += `<rect x="${x}" y="3" width="6" height="5" rx="1" fill="#e8dcc0"/><rect x="${x}" y="88" width="6" height="5" rx="1" fill="#e8dcc0"/>`;
    }
    return svg(
      `<rect width="96" height="96" fill="#1b1512"/>
       <rect x="0" y="12" width="96" height="72" fill="url(#photo)"/>
       <circle cx="32" cy="36" r="9" fill="#fff1c9" opacity=".85"/>
       <path d="M0 66 Q30 52 56 62 T96 58 V84 H0Z" fill="#7a5a3a" opacity=".85"/>
       <rect x="0" y="12" width="96" height="72" fill="url(#vignette)"/>
       <rect x="0" y="12" width="96" height="72" filter="url(#grain)" opacity=".22"/>
       ${holes}`,
      linear('photo', [
        [0, '#e7a96b'],
        [0.6, '#c98a6b'],
        [1, '#6e5a4a'],
      ]) +
        radial('vignette', [
          [0.55, '#000', 0],
          [1, '#000', 0.55],
        ]) +
        '<filter id="grain"><feTurbulence type="fractalNoise" baseFrequency="1.4" numOctaves="2" seed="4"/><feColorMatrix type="saturate" values="0"/></filter>',
    );
  },

  // Synthwave: a striped sun over a neon perspective grid.
  'neon-punk': () => {
    let grid = '';
    for (let i = 0; i <= 12; i++) {
      const x = -48 + i * 16;
      grid += `<line x1="48" y1="58" x2="${x}" y2="96" stroke="#ff2fd0" stroke-width=".8"/>`;
    }
    for (const y of [60, 63, 67, 72, 79, 88])
      grid += `<line x1="0" y1="${y}" x2="96" y2="${y}" stroke="#ff2fd0" stroke-width=".8"/>`;
    return svg(
      `<rect width="96" height="96" fill="url(#sky)"/>
       <g clip-path="url(#sunclip)"><circle cx="48" cy="48" r="22" fill="url(#sun)"/></g>
       <rect y="58" width="96" height="38" fill="#0c0320"/>
       <g filter="url(#glow)">${grid}</g>
       <line x1="0" y1="58" x2="96" y2="58" stroke="#2ff3ff" stroke-width="1.2" filter="url(#glow)"/>`,
      linear('sky', [
        [0, '#07021a'],
        [1, '#3a0b5e'],
      ]) +
        linear('sun', [
          [0, '#ffe45e'],
          [1, '#ff2f8e'],
        ]) +
        '<clipPath id="sunclip"><rect x="0" y="26" width="96" height="18"/><rect x="0" y="46" width="96" height="4"/><rect x="0" y="52" width="96" height="3"/><rect x="0" y="57" width="96" height="1"/></clipPath>' +
        '<filter id="glow" x="-20%" y="-20%" width="140%" height="140%"><feGaussianBlur stdDeviation="1.2" result="b"/><feMerge><feMergeNode in="b"/><feMergeNode in="SourceGraphic"/></feMerge></filter>',
    );
  },

  // Stacked isometric blocks, three shades per block.
  isometric: () => {
    const cube = (cx, cy, s, [top, left, right]) =>
      `<path d="M${cx} ${cy - s} L${cx + s * 0.87} ${cy - s / 2} L${cx} ${cy} L${cx - s * 0.87} ${cy - s / 2}Z" fill="${top}"/>` +
      `<path d="M${cx - s * 0.87} ${cy - s / 2} L${cx} ${cy} L${cx} ${cy + s} L${cx - s * 0.87} ${cy + s / 2}Z" fill="${left}"/>` +
      `<path d="M${cx + s * 0.87} ${cy - s / 2} L${cx} ${cy} L${cx} ${cy + s} L${cx + s * 0.87} ${cy + s / 2}Z" fill="${right}"/>`;
    const teal = ['#8ff0d8', '#3cb59a', '#24806d'];
    const coral = ['#ffc1a6', '#f0735a', '#b84b3a'];
    const sand = ['#fff0b8', '#e4c46a', '#b0913e'];
    return svg(
      `<rect width="96" height="96" fill="#e9eef7"/>
       ${cube(48, 62, 18, sand)}
       ${cube(32.3, 53, 18, teal)}
       ${cube(63.7, 53, 18, teal)}
       ${cube(48, 44, 18, coral)}
       ${cube(48, 26, 12, teal)}`,
    );
  },

  // A faceted mountain made of flat-shaded triangles.
  'low-poly': () => {
    const tris = [
      ['0,96 0,60 20,70', '#2e4a62'],
      ['0,60 22,40 20,70', '#3d6482'],
      ['22,40 40,20 36,58', '#6d9cc0'],
      ['22,40 36,58 20,70', '#4b7598'],
      ['40,20 58,36 36,58', '#8fbad8'],
      ['58,36 76,30 70,60', '#5f8bb0'],
      ['36,58 58,36 70,60', '#7aa6c8'],
      ['76,30 96,48 70,60', '#416a8c'],
      ['96,48 96,96 70,60', '#2b4760'],
      ['20,70 36,58 48,96', '#355774'],
      ['36,58 70,60 48,96', '#4a7192'],
      ['70,60 96,96 48,96', '#2a4560'],
      ['0,96 20,70 48,96', '#243d54'],
      ['40,20 46,28 36,32', '#f4f8fb'],
      ['40,20 52,30 46,28', '#dbe7f1'],
    ];
    return svg(
      `<rect width="96" height="96" fill="url(#sky)"/>
       <path d="M0 0 H96 V40 L70 24 L40 10 Z" fill="#fbd3a2" opacity=".35"/>
       ${tris.map(([points, fill]) => `<polygon points="${points}" fill="${fill}" stroke="${fill}" stroke-width=".3"/>`).join('')}`,
      linear('sky', [
        [0, '#f7b98a'],
        [1, '#f2e2c4'],
      ]),
    );
  },

  // A folded paper crane: flat facets in light and shade.
  origami: () =>
    svg(
      `<rect width="96" height="96" fill="#f3ede2"/>
       <rect width="96" height="96" fill="url(#paper)"/>
       <polygon points="48,30 30,70 48,62" fill="#e2463f"/>
       <polygon points="48,30 66,70 48,62" fill="#b8312c"/>
       <polygon points="30,70 48,62 66,70 48,76" fill="#c93a34"/>
       <polygon points="48,44 10,40 34,58" fill="#f06a5f"/>
       <polygon points="48,44 34,58 42,56" fill="#cf4a43"/>
       <polygon points="48,44 86,26 62,58" fill="#e85950"/>
       <polygon points="48,44 62,58 54,56" fill="#a92c28"/>
       <polygon points="30,70 14,50 22,48 34,64" fill="#d94840"/>
       <polygon points="66,70 80,44 84,46 70,70" fill="#c03b34"/>
       <polygon points="80,44 88,46 84,50" fill="#9e2a25"/>
       <ellipse cx="48" cy="84" rx="26" ry="3" fill="#000" opacity=".08"/>`,
      linear(
        'paper',
        [
          [0, '#fff', 0.4],
          [1, '#d8cbb4'],
        ],
        1,
        1,
      ),
    ),

  // One continuous ink line: a flower and leaves on white.
  'line-art': () =>
    svg(
      `<rect width="96" height="96" fill="#fbfaf7"/>
       <g fill="none" stroke="#1b1b1f" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round">
         <path d="M48 88 C46 74 50 62 48 46"/>
         <path d="M48 70 C38 66 32 58 30 50 C40 52 46 60 48 70"/>
         <path d="M48 62 C58 58 64 50 66 42 C56 44 50 52 48 62"/>
         <path d="M48 46 C40 44 36 34 42 28 C44 22 52 22 54 28 C60 34 56 44 48 46Z"/>
         <path d="M48 46 C44 40 44 32 48 26 C52 32 52 40 48 46"/>
         <path d="M42 28 C36 26 32 20 36 16 C40 14 44 18 46 24"/>
         <path d="M54 28 C60 26 64 20 60 16 C56 14 52 18 50 24"/>
       </g>`,
    ),

  // Soft, rounded clay shapes with thumb-smooth highlights.
  'modeling-compound': () =>
    svg(
      `<rect width="96" height="96" fill="#d9e7f0"/>
       <ellipse cx="48" cy="84" rx="34" ry="6" fill="#000" opacity=".12"/>
       <ellipse cx="34" cy="62" rx="20" ry="18" fill="url(#red)"/>
       <ellipse cx="64" cy="64" rx="18" ry="16" fill="url(#yellow)"/>
       <ellipse cx="50" cy="38" rx="17" ry="17" fill="url(#blue)"/>
       <ellipse cx="44" cy="30" rx="5" ry="3" fill="#fff" opacity=".45" transform="rotate(-30 44 30)"/>
       <ellipse cx="27" cy="54" rx="5" ry="3" fill="#fff" opacity=".4" transform="rotate(-30 27 54)"/>
       <ellipse cx="58" cy="57" rx="5" ry="3" fill="#fff" opacity=".45" transform="rotate(-30 58 57)"/>
       <circle cx="45" cy="38" r="2.4" fill="#1d1d28"/>
       <circle cx="56" cy="38" r="2.4" fill="#1d1d28"/>
       <path d="M45 45 Q50.5 49 56 45" stroke="#1d1d28" stroke-width="1.8" fill="none" stroke-linecap="round"/>`,
      radial(
        'red',
        [
          [0, '#ff8a7a'],
          [1, '#d2453a'],
        ],
        0.35,
        0.3,
        0.8,
      ) +
        radial(
          'yellow',
          [
            [0, '#ffe58a'],
            [1, '#e0a92e'],
          ],
          0.35,
          0.3,
          0.8,
        ) +
        radial(
          'blue',
          [
            [0, '#8fc6ff'],
            [1, '#3a73d0'],
          ],
          0.35,
          0.3,
          0.8,
        ),
    ),

  // Letterboxed teal-and-orange frame with a lone figure.
  cinematic: () =>
    svg(
      `<rect width="96" height="96" fill="#000"/>
       <rect y="18" width="96" height="60" fill="url(#grade)"/>
       <circle cx="70" cy="52" r="14" fill="#ffb060" opacity=".9" filter="url(#blur)"/>
       <rect y="62" width="96" height="16" fill="#0e2a33"/>
       <path d="M0 62 L30 58 L52 62 L96 56 V62Z" fill="#153d48"/>
       <g fill="#05080a">
         <circle cx="36" cy="46" r="2.6"/>
         <path d="M33 49 H39 L40 62 H32Z"/>
       </g>
       <path d="M36 62 L12 78 H20Z" fill="#000" opacity=".4"/>`,
      linear('grade', [
        [0, '#0d4b5a'],
        [0.55, '#3d7f86'],
        [1, '#e59a55'],
      ]) + '<filter id="blur" x="-50%" y="-50%" width="200%" height="200%"><feGaussianBlur stdDeviation="3"/></filter>',
    ),

  // Rendered primitives: a glossy sphere and a cube on a studio floor.
  '3d-model': () =>
    svg(
      `<rect width="96" height="96" fill="url(#studio)"/>
       <ellipse cx="36" cy="76" rx="18" ry="4" fill="#000" opacity=".3" filter="url(#blur)"/>
       <ellipse cx="68" cy="76" rx="16" ry="4" fill="#000" opacity=".3" filter="url(#blur)"/>
       <circle cx="36" cy="56" r="19" fill="url(#sphere)"/>
       <path d="M68 42 L82 50 L68 58 L54 50Z" fill="#b9c2cf"/>
       <path d="M54 50 L68 58 V76 L54 68Z" fill="#7d8796"/>
       <path d="M82 50 L68 58 V76 L82 68Z" fill="#5c6574"/>`,
      linear('studio', [
        [0, '#4a4f5a'],
        [0.7, '#2a2d34'],
        [1, '#1c1e23'],
      ]) +
        radial(
          'sphere',
          [
            [0, '#ffffff'],
            [0.15, '#ffd2a1'],
            [0.6, '#e0782f'],
            [1, '#6a2d0c'],
          ],
          0.35,
          0.3,
          0.75,
        ) +
        '<filter id="blur" x="-30%" y="-100%" width="160%" height="300%"><feGaussianBlur stdDeviation="1.5"/></filter>',
    ),

  // A little 12×12 pixel scene.
  'pixel-art': () => {
    const rows = [
      'SSSSSSSSSSSS',
      'SSSSSSSSSYYS',
      'SSCCSSSSSYYS',
      'SCCCCSSSSSSS',
      'SSSSSSGGSSSS',
      'SSSSSGGGGSSS',
      'SSSSGGGGGGSS',
      'SSSSSSTTSSSS',
      'HHHHHHTTHHHH',
      'DDDDDDDDDDDD',
      'DDBDDDDDBDDD',
      'DDDDDDBDDDDD',
    ];
    const palette = {
      S: '#5cc8ff',
      Y: '#ffe04a',
      C: '#ffffff',
      G: '#2fa84f',
      T: '#8a5a2b',
      H: '#6fdc5a',
      D: '#9a6a3a',
      B: '#7a4f28',
    };
    let pixels = '';
    rows.forEach((row, y) =>
      [...row].forEach((c, x) => {
        pixels += `<rect x="${x * 8}" y="${y * 8}" width="8" height="8" fill="${palette[c]}"/>`;
      }),
    );
    return svg(`<g shape-rendering="crispEdges">${pixels}</g>`);
  },

  // "None": a neutral tile with a slashed circle.
  none: () =>
    svg(
      `<rect width="96" height="96" fill="#2a2a30"/>
       <circle cx="48" cy="48" r="20" fill="none" stroke="#8c8c96" stroke-width="4"/>
       <path d="M34 62 L62 34" stroke="#8c8c96" stroke-width="4" stroke-linecap="round"/>`,
    ),
};

mkdirSync(outDir, { recursive: true });
let total = 0;
for (const [name, draw] of Object.entries(styles)) {
  const webp = await sharp(Buffer.from(draw())).webp({ quality: 82, effort: 6 }).toBuffer();
  writeFileSync(join(outDir, `${name}.webp`), webp);
  total += webp.length;
}
console.log(`Wrote ${Object.keys(styles).length} thumbnails (${Math.round(total / 1024)} KB) to ${outDir}`);
