// Checks that the browser snippet parses as ES5 and prints its size as served, minified, and minified and gzipped.
// Usage: node measure.js [path to track.js]; prints one JSON line, exits 1 when the script is not ES5.
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const acorn = require('acorn');
const { minify } = require('terser');

async function main() {
  const file = process.argv[2] || path.join(__dirname, '..', '..', 'wwwroot-assets', 'js', 'track.js');
  const source = fs.readFileSync(file, 'utf8');
  try {
    acorn.parse(source, { ecmaVersion: 5, sourceType: 'script' });
  } catch (error) {
    console.error(`${file} is not ES5: ${error.message}`);
    process.exit(1);
  }

  const minified = (await minify(source, { ecma: 5, compress: true, mangle: true })).code;
  const gzipped = zlib.gzipSync(Buffer.from(minified), { level: 9 });
  console.log(JSON.stringify({ source: Buffer.byteLength(source), minified: Buffer.byteLength(minified), gzipped: gzipped.length }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
