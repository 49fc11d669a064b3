// The example HTTP service: a node server that loads a native module (bcrypt's addon) before it
// listens, answers GET /health with {"status":"ok"} once that worked, and GET /whoami with what
// the runtime gave the process (uid, gid, working directory, environment), so a test can check
// the image config as the container runtime applied it.
'use strict';
const http = require('http');
const bcrypt = require('bcrypt');

const port = Number(process.env.PORT || 8099);
const hash = bcrypt.hashSync('graft', '$2b$04$' + 'graftgraftgraftgraftgr'); // fixed salt: same answer each run
const native = bcrypt.compareSync('graft', hash);

const server = http.createServer((req, res) => {
  const send = (code, body) => {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (req.method === 'GET' && req.url === '/health') {
    send(native ? 200 : 500, { status: native ? 'ok' : 'bcrypt failed' });
  } else if (req.method === 'GET' && req.url === '/whoami') {
    send(200, {
      uid: process.getuid(), gid: process.getgid(), cwd: process.cwd(), node: process.version,
      arch: process.arch, env: { NODE_ENV: process.env.NODE_ENV, LIBC: process.env.LIBC, PORT: process.env.PORT },
      bcrypt: native,
    });
  } else {
    send(404, { error: 'not found' });
  }
});
server.listen(port, () => console.log(`listening on ${port}`));
// A container is stopped with SIGTERM: close the server and exit at once (PID 1 has no default handler).
process.on('SIGTERM', () => server.close(() => process.exit(0)));
