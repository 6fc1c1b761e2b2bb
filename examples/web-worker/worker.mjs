// A tiny background worker: does a "job" every $INTERVAL seconds (default 2) and counts them in a file
// the web app reads. Exits 0 on SIGTERM.
import { writeFileSync } from 'node:fs';

const interval = Number(process.env.INTERVAL || 2) * 1000;
const countFile = process.env.COUNT_FILE || '/tmp/tsinit-example-worker.count';
let done = 0;

const timer = setInterval(() => {
  done++;
  writeFileSync(countFile, `${done}\n`);
  console.log(`worker: job ${done} done`);
}, interval);

console.log(`worker: started (pid ${process.pid})`);
process.on('SIGTERM', () => {
  console.log('worker: got SIGTERM, exiting');
  clearInterval(timer);
  process.exit(0);
});
