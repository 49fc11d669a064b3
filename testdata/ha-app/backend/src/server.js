'use strict';
// The app's backend: serves the ingress page and a status document on the ingress port. Options
// come from /data/options.json (Supervisor writes it), else the defaults the image carries.
const fs = require('fs');
const http = require('http');
const bcrypt = require('bcrypt');

function options() {
  for (const file of ['/data/options.json', '/etc/node-sync/defaults.json']) {
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      // next
    }
  }
  return {};
}

const opts = options();
const token = bcrypt.hashSync('node-sync', 4);
const page = fs.readFileSync('/usr/share/node-sync/www/index.html', 'utf8');
const port = Number(process.env.PORT || 8099);

http.createServer((req, res) => {
  if (req.url === '/health') {
    res.end('ok\n');
  } else if (req.url === '/status') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({
      app: 'node-sync',
      version: process.env.APP_VERSION,
      node: process.version,
      arch: process.arch,
      bcrypt: bcrypt.compareSync('node-sync', token),
      peers: opts.peers || [],
      logLevel: opts.log_level,
    }) + '\n');
  } else {
    res.setHeader('content-type', 'text/html');
    res.end(page);
  }
}).listen(port, () => console.log(`node-sync ${process.env.APP_VERSION} listening on ${port}`));
