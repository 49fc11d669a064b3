// The example service's compiled backend (what `tsc` would leave in dist/). It answers one
// question and exits, so a test can run the image's entrypoint and read the answer: bcrypt's
// native addon loads and works, and the frontend files are where the backend serves them from.
'use strict';
const fs = require('fs');
const path = require('path');
const bcrypt = require('bcrypt');

const salt = '$2b$04$' + 'graftgraftgraftgraftgr'; // fixed salt: same input, same answer
const hash = bcrypt.hashSync('hello from graft', salt);
const html = fs.readFileSync(path.join(__dirname, '..', 'frontend', 'index.html'), 'utf8');
console.log(JSON.stringify({
  node: process.version,
  arch: process.arch,
  bcrypt: bcrypt.compareSync('hello from graft', hash),
  hash,
  frontend: (html.match(/<title>(.*)<\/title>/) || [])[1],
}));
