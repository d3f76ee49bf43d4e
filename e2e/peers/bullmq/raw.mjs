#!/usr/bin/env node
// Raw cost of the commands alone, spawned from node the way bench.mjs's processor spawns them (no queue, no redis):
//   node raw.mjs --tasks N --parallel P --command "CMD"
// Runs `bash -c CMD` N times with at most P at once (P = 1: one after another) and prints one JSON line on stdout:
//   {"peer":"raw-node","tasks":N,"parallel":P,"seconds":...,"cpu_seconds":...}
// (cpu_seconds: this node process only; the children's CPU is not in it.)
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { tasks: { type: 'string' }, parallel: { type: 'string', default: '1' }, command: { type: 'string' } },
  strict: true,
});
const tasks = Number(values.tasks);
const parallel = Number(values.parallel);
if (!(tasks >= 1) || !(parallel >= 1) || !values.command) {
  process.stderr.write('usage: node raw.mjs --tasks N --parallel P --command "CMD"\n');
  process.exit(2);
}

function run(cmd) {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', cmd], { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`exit ${code ?? signal}`))));
  });
}

let next = 0;
async function lane() {
  while (next < tasks) {
    next++;
    await run(values.command);
  }
}

const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
try {
  await Promise.all(Array.from({ length: Math.min(parallel, tasks) }, lane));
} catch (e) {
  process.stderr.write(`raw: ${e.message}\n`);
  process.exit(1);
}
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const cpu = process.cpuUsage(cpu0);
process.stdout.write(JSON.stringify({ peer: 'raw-node', tasks, parallel, seconds: Number(seconds.toFixed(4)),
  cpu_seconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(4)) }) + '\n');
