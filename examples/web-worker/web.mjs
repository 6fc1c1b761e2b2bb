// A tiny HTTP app: GET / answers hello, GET /count shows how many jobs the worker has done.
// Listens on $HOST:$PORT (default 127.0.0.1:8080). Exits 0 on SIGTERM after closing the listener.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

const host = process.env.HOST || '127.0.0.1';
const port = Number(process.env.PORT || 8080);
const countFile = process.env.COUNT_FILE || '/tmp/tsinit-example-worker.count';

const server = createServer((req, res) => {
  if (req.url === '/count') {
    let n = '0';
    try {
      n = readFileSync(countFile, 'utf8').trim();
    } catch {}
    res.end(`worker jobs done: ${n}\n`);
    return;
  }
  res.end(`hello from web (pid ${process.pid})\n`);
});
server.listen(port, host, () => console.log(`web: listening on http://${host}:${port}/`));

process.on('SIGTERM', () => {
  console.log('web: got SIGTERM, exiting');
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
