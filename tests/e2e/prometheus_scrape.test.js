// End-to-end: a real Prometheus, configured from deploy/prometheus and loaded
// with the repository's rule files, scrapes the real inrapportd while the real
// CLI loads the example data. Every rule must load and evaluate without
// error, every alert must carry its severity and annotations, and every
// panel query of deploy/grafana/dashboards/inrapport.json must return data.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn, execFile } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const SERVER = process.env.INRAPPORTD;
const CLI = process.env.INRAPPORT_CLI;
const SOURCE_DIR = process.env.INRAPPORT_SOURCE_DIR;
const PROMETHEUS = process.env.PROMETHEUS || '/usr/bin/prometheus';
assert.ok(SERVER, 'INRAPPORTD must name the server binary');
assert.ok(CLI, 'INRAPPORT_CLI must name the CLI binary');
assert.ok(SOURCE_DIR, 'INRAPPORT_SOURCE_DIR must name the source directory');
assert.ok(fs.existsSync(PROMETHEUS),
          `${PROMETHEUS} missing: run scripts/install-deps.sh (Debian package prometheus)`);

const PROMETHEUS_DIR = path.join(SOURCE_DIR, 'deploy', 'prometheus');
const DASHBOARD = path.join(SOURCE_DIR, 'deploy', 'grafana', 'dashboards', 'inrapport.json');
// How long the panels' queries may take to return data once the data is loaded.
const PANEL_WAIT_MS = 60000;

let tmpdir;
let server;
let serverLog = '';
let prometheus;
let prometheusLog = '';
let prometheusUrl;
let grpcAddress;

function startServer() {
  server = spawn(SERVER, ['--listen=127.0.0.1:0', '--metrics_listen=127.0.0.1:0',
                          `--db=${path.join(tmpdir, 'x.db')}`],
                 { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('inrapportd did not log its ports in 20 s:\n' + serverLog)), 20000);
    server.stderr.on('data', (chunk) => {
      serverLog += chunk.toString();
      const grpcMatch = /event=listening service=grpc address=(\S+)/.exec(serverLog);
      const metricsMatch = /event=listening service=metrics address=(\S+)/.exec(serverLog);
      if (grpcMatch && metricsMatch) {
        clearTimeout(timer);
        resolve({ grpc: grpcMatch[1], metrics: metricsMatch[1] });
      }
    });
    server.on('exit', (code) => reject(new Error(`inrapportd exited (${code}):\n${serverLog}`)));
  });
}

// A loopback port that was free a moment ago.
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

// The repository's configuration with the test's target and 1 s intervals;
// the rule files are copied beside it, so its relative paths are kept.
function writePrometheusConfig(metricsAddress) {
  let config = fs.readFileSync(path.join(PROMETHEUS_DIR, 'prometheus.yml'), 'utf8');
  const replacements = [
    [/'inrapportd:9464'/g, `'${metricsAddress}'`],
    [/^(\s*)scrape_interval: \S+$/gm, '$1scrape_interval: 1s'],
    [/^(\s*)evaluation_interval: \S+$/gm, '$1evaluation_interval: 1s'],
  ];
  for (const [pattern, replacement] of replacements) {
    const matches = config.match(pattern);
    assert.equal(matches && matches.length, 1,
                 `deploy/prometheus/prometheus.yml: expected ${pattern} exactly once`);
    config = config.replace(pattern, replacement);
  }
  const dir = path.join(tmpdir, 'prometheus');
  fs.mkdirSync(dir);
  fs.cpSync(path.join(PROMETHEUS_DIR, 'rules'), path.join(dir, 'rules'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'prometheus.yml'), config);
  return path.join(dir, 'prometheus.yml');
}

async function startPrometheus(configFile) {
  const port = await freePort();
  prometheusUrl = `http://127.0.0.1:${port}`;
  prometheus = spawn(PROMETHEUS, [
    `--config.file=${configFile}`, `--storage.tsdb.path=${path.join(tmpdir, 'tsdb')}`,
    `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  prometheus.stdout.on('data', (chunk) => { prometheusLog += chunk.toString(); });
  prometheus.stderr.on('data', (chunk) => { prometheusLog += chunk.toString(); });
  await waitFor('Prometheus to be ready', 30000, async () => {
    const response = await fetch(`${prometheusUrl}/-/ready`, { signal: AbortSignal.timeout(2000) });
    return response.ok;
  });
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// Polls check() until it returns true; fails after timeoutMs or when a
// process under test has exited.
async function waitFor(what, timeoutMs, check) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    if (prometheus && prometheus.exitCode !== null) {
      throw new Error(`prometheus exited (${prometheus.exitCode}):\n${prometheusLog}`);
    }
    if (server.exitCode !== null) {
      throw new Error(`inrapportd exited (${server.exitCode}):\n${serverLog}`);
    }
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}` +
                      (lastError ? ` (${lastError.message})` : '') +
                      `\nprometheus log:\n${prometheusLog}`);
    }
    await sleep(500);
  }
}

async function api(pathAndQuery) {
  const response = await fetch(`${prometheusUrl}${pathAndQuery}`,
                               { signal: AbortSignal.timeout(5000) });
  const body = await response.json();
  return body;
}

// An instant query; resolves to Prometheus' answer ({status, data, error}).
function query(expr) {
  return api(`/api/v1/query?query=${encodeURIComponent(expr)}`);
}

function cli(...args) {
  return new Promise((resolve, reject) => {
    execFile(CLI, ['--server', grpcAddress, ...args],
             { cwd: SOURCE_DIR, timeout: 60000, maxBuffer: 64 * 1024 * 1024 },
             (error, stdout, stderr) => {
               if (error) {
                 error.stderr = stderr;
                 reject(error);
               } else {
                 resolve(stdout);
               }
             });
  });
}

async function expectCliFailure(pattern, ...args) {
  await assert.rejects(cli(...args), (error) => {
    assert.match(error.stderr, pattern);
    return true;
  });
}

before(async () => {
  tmpdir = fs.mkdtempSync(path.join(os.tmpdir(), 'inrapport-prometheus-'));
  const addresses = await startServer();
  grpcAddress = addresses.grpc;
  await startPrometheus(writePrometheusConfig(addresses.metrics));
  await waitFor('the inrapport target to be up', 30000, async () => {
    const answer = await query('up{job="inrapport"} == 1');
    return answer.status === 'success' && answer.data.result.length === 1;
  });

  // The data arrives after the first scrapes, so that the counters' rates
  // and the histograms' quantiles see it.
  await cli('import-duties', path.join(SOURCE_DIR, 'examples', 'duties.csv'));
  await cli('submit', path.join(SOURCE_DIR, 'examples', 'reports.csv'));
  // Two flagged duties reported in all nine municipality groups, so that the
  // national estimate panels have data (the example data covers four).
  await cli('submit', path.join(SOURCE_DIR, 'examples', 'reports-other-groups.csv'));
  // A retry of one report (duplicate) and a report with no minutes (rejected).
  const header = fs.readFileSync(path.join(SOURCE_DIR, 'examples', 'reports.csv'), 'utf8')
    .split('\n').filter((line) => line.startsWith('submission_id,'))[0];
  const mixed = path.join(tmpdir, 'mixed.csv');
  fs.writeFileSync(mixed, [
    header,
    '0180-0001,0180,ivo-evb-sol,2024Q4,108,3,3,unknown,yes,,',
    'e2e-bad-1,0180,ivo-evb-sol,2024Q4,0,1,3,yes,no,,',
  ].join('\n') + '\n');
  const counts = await cli('submit', mixed);
  assert.match(counts, /0 accepted, 1 duplicate, 1 rejected/);
  // Unary calls for the handling-time histogram, and two answered NOT_FOUND
  // for the error panels.
  await cli('summary', '--group_by', 'sector');
  await cli('flagged', '--limit', '3');
  for (const use of ['e2e-1', 'e2e-2']) {
    await expectCliFailure(/NOT_FOUND/, 'record-use', '--duty', 'no-such-duty', '--use_id', use,
                           '--kind', 'publication', '--date', '2025-01-01',
                           '--data_periods', '2024', '--description', 'end-to-end test');
  }
});

function waitForExit(child, ms) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

after(async () => {
  for (const child of [prometheus, server]) {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  }
  await Promise.all([waitForExit(prometheus, 10000), waitForExit(server, 10000)]);
  if (tmpdir) fs.rmSync(tmpdir, { recursive: true, force: true });
});

test('every rule loads and evaluates without error', async () => {
  let groups;
  await waitFor('every rule to be evaluated', 30000, async () => {
    const answer = await api('/api/v1/rules');
    groups = answer.data.groups;
    return groups.length > 0 &&
        groups.every((group) => group.rules.every((rule) => rule.health !== 'unknown'));
  });
  const names = groups.map((group) => path.basename(group.file));
  assert.ok(names.includes('recording.yml') && names.includes('alerts.yml'),
            `rule files loaded: ${names}`);
  const broken = groups.flatMap((group) => group.rules)
    .filter((rule) => rule.health !== 'ok')
    .map((rule) => `${rule.name}: ${rule.lastError}`);
  assert.deepEqual(broken, []);
});

test('every alert has a duration, a severity, a summary, a description and a runbook',
     async () => {
  const answer = await api('/api/v1/rules?type=alert');
  const alerts = answer.data.groups.flatMap((group) => group.rules);
  const names = alerts.map((rule) => rule.name);
  for (const required of ['InrapportDown', 'InrapportIngestErrors',
                          'InrapportDutyWithoutPurpose', 'InrapportFlaggedBurdenHigh']) {
    assert.ok(names.includes(required), `${required} missing from ${names}`);
  }
  for (const rule of alerts) {
    assert.ok(rule.duration > 0, `${rule.name} has no for:`);
    assert.match(rule.labels.severity || '', /^(critical|warning|info)$/,
                 `${rule.name}: severity`);
    for (const annotation of ['summary', 'description', 'runbook_url']) {
      assert.ok((rule.annotations[annotation] || '').length > 0,
                `${rule.name} has no ${annotation}`);
    }
    assert.match(rule.annotations.runbook_url, /docs\/operations\.md#alerts$/);
  }
});

// Grafana's variables, with values fit for a 1 s scrape interval.
function substituteVariables(expr) {
  const substituted = expr
    .replace(/\$__rate_interval\b/g, '1m')
    .replace(/\$__interval\b/g, '15s')
    .replace(/\$__range\b/g, '5m');
  assert.ok(!substituted.includes('$'), `unknown Grafana variable in ${expr}`);
  return substituted;
}

function panelQueries() {
  const dashboard = JSON.parse(fs.readFileSync(DASHBOARD, 'utf8'));
  const panels = dashboard.panels.flatMap((panel) => [panel, ...(panel.panels || [])]);
  const queries = [];
  for (const panel of panels) {
    for (const target of panel.targets || []) {
      queries.push({ title: panel.title, refId: target.refId, expr: target.expr,
                     promql: substituteVariables(target.expr) });
    }
  }
  return queries;
}

test('every dashboard panel query returns data', async () => {
  const queries = panelQueries();
  assert.ok(queries.length >= 15, `only ${queries.length} panel queries`);
  let pending = queries;
  const deadline = Date.now() + PANEL_WAIT_MS;
  for (;;) {
    const answers = await Promise.all(pending.map((q) => query(q.promql)));
    const invalid = pending.map((q, i) => [q, answers[i]])
      .filter(([, answer]) => answer.status !== 'success')
      .map(([q, answer]) => `"${q.title}" ${q.refId}: ${q.expr}: ${answer.error}`);
    assert.deepEqual(invalid, [], 'Prometheus refused these panel queries');
    // Data is at least one sample with a number: NaN (a quantile of no
    // observations, a ratio of nothing) shows as an empty panel.
    pending = pending.filter((q, i) => !answers[i].data.result.some(
      (sample) => Number.isFinite(Number((sample.value || [])[1]))));
    if (pending.length === 0 || Date.now() > deadline) break;
    await sleep(1000);
  }
  assert.deepEqual(
    pending.map((q) => `"${q.title}" ${q.refId}: ${q.expr}`), [],
    `panel queries without data after ${PANEL_WAIT_MS / 1000} s`);
});

test('the recorded burden matches the server\'s own summary', async () => {
  const summary = JSON.parse(await cli('summary', '--group_by', 'agency', '--format', 'json'));
  const totals = summary.totals;
  const cost = totals.cost_sek ?? totals.costSek;
  const share = totals.flagged_minutes_share ?? totals.flaggedMinutesShare;
  assert.ok(cost > 0 && share > 0, `summary totals: ${JSON.stringify(totals)}`);
  const recorded = async (expr) => {
    const answer = await query(expr);
    assert.equal(answer.data.result.length, 1, `${expr}: ${JSON.stringify(answer.data)}`);
    return Number(answer.data.result[0].value[1]);
  };
  const recordedCost = await recorded('job:inrapport_measured_burden_sek:sum');
  assert.ok(Math.abs(recordedCost - cost) < 1, `recorded ${recordedCost}, summary ${cost}`);
  const recordedShare = await recorded('job:inrapport_flagged_burden_share:ratio');
  assert.ok(Math.abs(recordedShare - share) < 1e-6, `recorded ${recordedShare}, summary ${share}`);
});
