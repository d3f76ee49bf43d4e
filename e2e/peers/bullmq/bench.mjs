#!/usr/bin/env node
// BullMQ peer for dagctl's benchmark harness: one measurement per invocation.
//
//   node bench.mjs --workload chain|shell|noop --tasks N --slots S --command "CMD" --redis-port P [--warmup W]
//                  [--chain-mode flow|event|processor] [--keep-completed K] [--noop-concurrency C] [--timeout-seconds T]
//
// Prints exactly one JSON line on stdout, e.g.
//   {"peer":"bullmq","workload":"chain","tasks":1000,"slots":1,"seconds":23.9,"cpu_seconds":1.23,
//    "server_cpu_seconds":0.31}
// `seconds`: wall time of the timed part, from the first job being added to the last job's completion as seen by
// this program (the worker's 'completed' event). `cpu_seconds`: this node process's own CPU (user + system) over the
// same span. `server_cpu_seconds`: redis-server's CPU (all its threads, user + system) over the same span, from the
// difference of two INFO cpu replies (taken just before the first add and just after the last completion).
// Everything else goes to stderr. Any failure (a job failed, redis unreachable or lost, the timeout) exits non-zero.
//
// One process holds the producer (a Queue, plus a FlowProducer for the chain) and one Worker, each on its own
// ioredis connection; the Worker's has maxRetriesPerRequest: null (BullMQ duplicates it for its blocking reads).
// Redis is flushed (FLUSHALL) at start and each invocation uses its own queue name. A warm-up of the same workload
// (W tasks, default min(N, max(20, N/10))) runs on the same queue and worker before the timed part, untimed.
//
// Workloads and the choices made for them:
//
// chain (worker concurrency 1): job k+1 may only start after job k completed, like a scheduler's dependency.
//   BullMQ's own dependency mechanism is a flow (FlowProducer): a parent job waits in "waiting-children" until
//   all its children completed, and Redis itself (the Lua script that marks the child completed) moves the parent
//   to "wait" - in the same script call that hands the worker its next job. A chain of N is therefore one flow
//   N levels deep: job 0 is the deepest child, job N-1 the root. The whole chain is submitted at once, like a DAG
//   handed to dagctl, and no client code sits between two hops. That is what a BullMQ user who has a dependency
//   would write, so it is the default (--chain-mode flow).
//   Two hand-rolled alternatives are kept for comparison (on 2 idle cores all three cost the same within noise:
//   1000 x `sleep 0.01` 17.0-17.5 s against 15.0 s raw; 1000 x `true` 4.1-5.5 s against 2.1-2.9 s raw):
//     --chain-mode event      the next job is added from the worker's 'completed' event of the previous one
//                             (strict: job k is already marked completed in Redis when k+1 is added);
//     --chain-mode processor  the processor adds the next job after its command exited, before returning
//                             (k+1 exists slightly before k is marked completed; saves one blocking wake-up).
// shell (worker concurrency S): N independent jobs added with addBulk in chunks of 1000; each runs `bash -c CMD`.
// noop: N independent jobs whose processor returns at once. Worker concurrency 50 by default (--noop-concurrency):
//   a noop job holds no slot in dagctl either, and for BullMQ a higher concurrency only means more moveToFinished /
//   moveToActive calls in flight on the worker's connection. Measured on 2 idle cores, 10000 noops: concurrency 1
//   3.6 s (one round trip at a time), 8 1.49 s, 50 1.38 s, 200 1.43 s: 50 is on the plateau.
//
// Every job processor of chain/shell spawns `bash -c CMD` with stdio 'ignore' and awaits its exit; a non-zero exit
// (or a signal) fails the job, and a failed job fails the benchmark (attempts: 1, no retries).
//
// Redis memory: removeOnComplete { count: 1000 } (the "good practice" value of BullMQ's auto-removal guide): completed
// jobs are deleted as they complete, keeping the latest 1000 - bounded, and a small recent history. --keep-completed 0
// uses removeOnComplete: true instead (delete at once; no measurable difference here). Failed jobs are kept (the run
// aborts at the first one anyway).

import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';
import { Queue, Worker, FlowProducer } from 'bullmq';
import IORedis from 'ioredis';

const require = createRequire(import.meta.url);
const BULLMQ_VERSION = require('bullmq/package.json').version;

const HOST = '127.0.0.1';
const ADD_CHUNK = 1000;

function log(msg) {
  process.stderr.write(`[bullmq-bench] ${msg}\n`);
}

const children = new Set(); // the commands running now, killed if we exit early

function die(msg, code = 1) {
  process.stderr.write(`[bullmq-bench] ERROR: ${msg}\n`);
  for (const child of children) child.kill('SIGKILL');
  process.exit(code);
}

function usage(msg) {
  die(`${msg}\nusage: node bench.mjs --workload chain|shell|noop --tasks N --slots S --command "CMD" ` +
      `--redis-port P [--warmup W] [--chain-mode flow|event|processor] [--keep-completed K] ` +
      `[--noop-concurrency C] [--timeout-seconds T]`, 2);
}

function intArg(values, name, { min, def } = {}) {
  const raw = values[name];
  if (raw === undefined) {
    if (def !== undefined) return def;
    usage(`--${name} is required`);
  }
  if (!/^\d+$/.test(raw)) usage(`--${name} must be a whole number, got ${JSON.stringify(raw)}`);
  const v = Number(raw);
  if (!Number.isSafeInteger(v) || v < min) usage(`--${name} must be >= ${min}, got ${raw}`);
  return v;
}

let parsed;
try {
  parsed = parseArgs({
    options: {
      workload: { type: 'string' },
      tasks: { type: 'string' },
      slots: { type: 'string' },
      command: { type: 'string' },
      'redis-port': { type: 'string' },
      warmup: { type: 'string' },
      'chain-mode': { type: 'string' },
      'keep-completed': { type: 'string' },
      'noop-concurrency': { type: 'string' },
      'timeout-seconds': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
} catch (e) {
  usage(e.message);
}
const a = parsed.values;
const workload = a.workload;
if (!['chain', 'shell', 'noop'].includes(workload)) usage(`--workload must be chain, shell or noop, got ${JSON.stringify(workload)}`);
const tasks = intArg(a, 'tasks', { min: 1 });
const slots = intArg(a, 'slots', { min: 1, def: workload === 'shell' ? undefined : 1 });
const port = intArg(a, 'redis-port', { min: 1 });
if (port > 65535) usage('--redis-port must be <= 65535');
const warmup = intArg(a, 'warmup', { min: 0, def: Math.min(tasks, Math.max(20, Math.floor(tasks / 10))) });
const keepCompleted = intArg(a, 'keep-completed', { min: 0, def: 1000 });
const noopConcurrency = intArg(a, 'noop-concurrency', { min: 1, def: 50 });
const timeoutSeconds = intArg(a, 'timeout-seconds', { min: 1, def: 1800 });
const chainMode = a['chain-mode'] ?? 'flow';
if (!['flow', 'event', 'processor'].includes(chainMode)) usage(`--chain-mode must be flow, event or processor`);
const command = a.command;
if (workload !== 'noop' && (command === undefined || command === '')) usage(`--command is required for ${workload}`);

const concurrency = workload === 'chain' ? 1 : workload === 'shell' ? slots : noopConcurrency;
if (workload === 'chain' && slots !== 1) log(`note: chain runs with worker concurrency 1 (--slots ${slots} only reported)`);

// ---------------------------------------------------------------------------------------------------------------
// Failure handling: the first failure wins, prints its message and exits non-zero.

let closing = false;
let failWith = null; // set by run() to reject the phase in progress
function fail(msg) {
  if (closing) return;
  closing = true;
  if (failWith) failWith(new Error(msg));
  else die(msg);
}

const timeout = setTimeout(() => die(`timed out after ${timeoutSeconds} s (--timeout-seconds)`), timeoutSeconds * 1000);
timeout.unref();
process.on('unhandledRejection', (e) => die(`unhandled rejection: ${e?.stack ?? e}`));

// Gives up on a lost redis after ~10 s of reconnect attempts instead of retrying forever.
function retryStrategy(times) {
  return times > 20 ? null : Math.min(times * 100, 1000);
}

function connection(role, extra) {
  const c = new IORedis({ host: HOST, port, connectionName: `bullmq-bench-${role}`, retryStrategy, ...extra });
  c.on('end', () => fail(`lost the connection to redis at ${HOST}:${port} (${role})`));
  c.on('error', (e) => { if (!closing) log(`redis ${role} connection: ${e.message}`); });
  return c;
}

// ---------------------------------------------------------------------------------------------------------------
// The job's work.

function runCommand(cmd) {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', cmd], { stdio: 'ignore' });
    children.add(child);
    child.once('error', (e) => { children.delete(child); reject(e); });
    child.once('exit', (code, signal) => {
      children.delete(child);
      if (code === 0) resolve();
      else reject(new Error(`bash -c ${JSON.stringify(cmd)} exited with ${signal ? `signal ${signal}` : `code ${code}`}`));
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------

async function main() {
  // Probe first, with no retries, so an unreachable redis is a clear error, then start from an empty database.
  const probe = new IORedis({ host: HOST, port, lazyConnect: true, connectTimeout: 5000, retryStrategy: () => null,
                              maxRetriesPerRequest: 0, enableOfflineQueue: false });
  let probeError = null;
  probe.on('error', (e) => { probeError = e; });
  try {
    await probe.connect();
    await probe.flushall();
    const info = await probe.info('server');
    log(`redis ${/redis_version:(\S+)/.exec(info)?.[1]} at ${HOST}:${port}, flushed; bullmq ${BULLMQ_VERSION}, ` +
        `node ${process.version}`);
  } catch (e) {
    die(`redis unreachable at ${HOST}:${port}: ${probeError?.message ?? e.message}`);
  } finally {
    probe.disconnect();
  }

  const queueName = `bench-${workload}-${process.pid}-${Date.now()}`;
  const producerConn = connection('producer', { maxRetriesPerRequest: 20 });
  const workerConn = connection('worker', { maxRetriesPerRequest: null });
  const defaultJobOptions = {
    attempts: 1,
    removeOnComplete: keepCompleted === 0 ? true : { count: keepCompleted },
    removeOnFail: false,
  };
  const queue = new Queue(queueName, { connection: producerConn, defaultJobOptions });
  const flows = workload === 'chain' && chainMode === 'flow' ? new FlowProducer({ connection: producerConn }) : null;
  queue.on('error', (e) => fail(`queue error: ${e.message}`));
  flows?.on('error', (e) => fail(`flow producer error: ${e.message}`));

  // The phase in progress: its name (= the jobs' name), its size, and what to do on each completion.
  let phase = null;

  const processor = async (job) => {
    if (workload === 'noop') return;
    await runCommand(command);
    if (workload === 'chain' && chainMode === 'processor') {
      const k = job.data.k;
      if (k + 1 < phase.n && job.name === phase.name) await queue.add(phase.name, { k: k + 1 });
    }
  };

  const worker = new Worker(queueName, processor, { connection: workerConn, concurrency, autorun: false });
  worker.on('error', (e) => fail(`worker error: ${e.message}`));
  worker.on('failed', (job, err) => fail(`job ${job?.id} (${job?.name} #${job?.data?.k}) failed: ${err?.message}`));
  worker.on('completed', (job) => {
    if (phase && job.name === phase.name) phase.onCompleted(job);
  });

  await Promise.all([queue.waitUntilReady(), worker.waitUntilReady(), flows?.waitUntilReady()]);
  worker.run().catch((e) => fail(`worker stopped: ${e.message}`));
  log(`queue ${queueName}: workload ${workload}${workload === 'chain' ? ` (${chainMode})` : ''}, ` +
      `worker concurrency ${concurrency}, removeOnComplete ${JSON.stringify(defaultJobOptions.removeOnComplete)}`);

  // Runs one phase: adds n jobs named `name` the workload's way and resolves when the n-th (or, for a chain, the
  // last) completed. Returns the wall seconds and this process' CPU seconds from the first add to that completion.
  async function run(name, n) {
    let done = 0;
    let resolveDone;
    const finished = new Promise((resolve, reject) => { resolveDone = resolve; failWith = reject; });
    let t1 = 0n;
    let cpu1 = null;
    phase = {
      name,
      n,
      onCompleted(job) {
        done++;
        if (workload === 'chain' && chainMode === 'event' && job.data.k + 1 < n) {
          queue.add(name, { k: job.data.k + 1 }).catch((e) => fail(`adding chain job ${job.data.k + 1}: ${e.message}`));
        }
        if (done === n) {
          t1 = process.hrtime.bigint();
          cpu1 = process.cpuUsage(cpu0);
          resolveDone();
        }
      },
    };
    const progress = setInterval(() => log(`${name}: ${done}/${n} completed`), 10000);
    progress.unref();

    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    if (workload === 'chain' && chainMode === 'flow') {
      // Job 0 is the deepest child, job n-1 the root: each parent runs once its only child completed.
      let node = null;
      for (let k = 0; k < n; k++) {
        node = { name, queueName, data: { k }, ...(node ? { children: [node] } : {}) };
      }
      // A flow does not take the Queue's defaultJobOptions: pass them per queue.
      await flows.add(node, { queuesOptions: { [queueName]: { defaultJobOptions } } });
    } else if (workload === 'chain') {
      await queue.add(name, { k: 0 });
    } else {
      for (let i = 0; i < n; i += ADD_CHUNK) {
        const jobs = [];
        for (let k = i; k < Math.min(n, i + ADD_CHUNK); k++) jobs.push({ name, data: { k } });
        await queue.addBulk(jobs);
      }
    }
    const addSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    if (addSeconds > 0.5 || name === 'timed') log(`${name}: ${n} tasks added in ${addSeconds.toFixed(3)} s (${done} completed by then)`);
    try {
      await finished;
    } finally {
      clearInterval(progress);
      failWith = null;
    }
    const seconds = Number(t1 - t0) / 1e9;
    const cpuSeconds = (cpu1.user + cpu1.system) / 1e6;
    return { seconds, cpuSeconds };
  }

  async function redisCpu() {
    const info = await producerConn.info('cpu');
    const get = (k) => Number(new RegExp(`${k}:([\\d.]+)`).exec(info)?.[1] ?? NaN);
    return get('used_cpu_user') + get('used_cpu_sys');
  }

  if (warmup > 0) {
    const w = await run('warmup', warmup);
    log(`warm-up: ${warmup} tasks in ${w.seconds.toFixed(3)} s`);
  }
  const redisCpu0 = await redisCpu();
  const r = await run('timed', tasks);
  const serverCpuSeconds = (await redisCpu()) - redisCpu0;
  const perTask = (r.seconds * 1000) / tasks;
  log(`timed: ${tasks} tasks in ${r.seconds.toFixed(3)} s (${perTask.toFixed(3)} ms per task` +
      `${workload === 'chain' ? ' = per hop' : ''}, ${(tasks / r.seconds).toFixed(1)} tasks/s); ` +
      `cpu: node ${r.cpuSeconds.toFixed(3)} s, redis-server ${serverCpuSeconds.toFixed(3)} s`);

  closing = true;
  await worker.close();
  await flows?.close();
  await queue.close();
  // The connections were passed in, so BullMQ leaves them open.
  await Promise.all([producerConn.quit(), workerConn.quit()]);

  const result = {
    peer: 'bullmq',
    workload,
    tasks,
    slots,
    seconds: Number(r.seconds.toFixed(4)),
    cpu_seconds: Number(r.cpuSeconds.toFixed(4)),
    server_cpu_seconds: Number(serverCpuSeconds.toFixed(4)),
  };
  process.stdout.write(JSON.stringify(result) + '\n', () => process.exit(0));
}

main().catch((e) => die(e?.message ?? String(e)));
