// The image's HEALTHCHECK: exit 0 when GET /health answers {"status":"ok"} within 2 s, else 1.
'use strict';
const http = require('http');
const req = http.get({ host: '127.0.0.1', port: Number(process.env.PORT || 8099), path: '/health', timeout: 2000 }, (res) => {
  let body = '';
  res.on('data', (c) => { body += c; });
  res.on('end', () => process.exit(res.statusCode === 200 && JSON.parse(body).status === 'ok' ? 0 : 1));
});
req.on('timeout', () => req.destroy(new Error('timeout')));
req.on('error', () => process.exit(1));
