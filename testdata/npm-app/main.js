// The fixture app's smoke run inside a built image: each native dependency does real work
// and the results are printed as one JSON line (the test checks them).
'use strict';
const esbuild = require('esbuild');
const sharp = require('sharp');
const bcrypt = require('bcrypt');
const Database = require('better-sqlite3');
const { parseAst } = require('rollup/parseAst');

async function main() {
  // esbuild's JS API spawns its platform binary; under qemu-user without binfmt_misc a child
  // process of the foreign arch cannot start, so the test runs that binary itself there
  const js = process.env.SKIP_SPAWN ? 'const n = 6 * 7 (checked by running the binary)'
    : esbuild.transformSync('const n: number = 6 * 7; export default n;', { loader: 'ts', format: 'cjs' }).code;
  const raw = Buffer.alloc(16 * 16 * 3, 200);
  const png = await sharp(raw, { raw: { width: 16, height: 16, channels: 3 } }).resize(4, 4).png().toBuffer();
  const meta = await sharp(png).metadata();
  const hash = bcrypt.hashSync('graft', 4);
  const db = new Database(':memory:');
  db.exec('create table t (x integer)');
  db.prepare('insert into t values (?), (?), (?)').run(1, 2, 39);
  const sum = db.prepare('select sum(x) as s from t').get().s;
  const ast = parseAst('let a = 1').body[0].type;
  console.log(JSON.stringify({
    esbuild: js.includes('const n = 6 * 7'), sharp: `${meta.width}x${meta.height} ${meta.format}`,
    bcrypt: bcrypt.compareSync('graft', hash), sqlite: sum, rollup: ast, node: process.version, arch: process.arch,
  }));
}
main().catch((e) => { console.error(e); process.exit(1); });
