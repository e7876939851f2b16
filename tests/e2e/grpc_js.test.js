// End-to-end: the real inrapportd, driven by an independent client
// (@grpc/grpc-js loading the project's .proto files), and its metrics
// checked by promtool.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

let grpc;
let protoLoader;
try {
  grpc = require('@grpc/grpc-js');
  protoLoader = require('@grpc/proto-loader');
} catch (error) {
  throw new Error('Node packages missing: run scripts/install-deps.sh (' + error.message + ')');
}

const SERVER = process.env.INRAPPORTD;
const PROTO_DIR = process.env.INRAPPORT_PROTO_DIR;
// google/api/annotations.proto, which the API's HTTP bindings import.
const GOOGLEAPIS_DIR = process.env.INRAPPORT_GOOGLEAPIS_DIR;
assert.ok(SERVER, 'INRAPPORTD must name the server binary');
assert.ok(PROTO_DIR, 'INRAPPORT_PROTO_DIR must name the proto directory');
assert.ok(GOOGLEAPIS_DIR, 'INRAPPORT_GOOGLEAPIS_DIR must name the googleapis proto directory');

const loaded = protoLoader.loadSync(
  ['inrapport/v1/duty_registry.proto', 'inrapport/v1/report_intake.proto',
   'inrapport/v1/burden_query.proto', 'grpc/health/v1/health.proto',
   'grpc/reflection/v1alpha/reflection.proto'],
  { keepCase: true, longs: Number, enums: String, defaults: true,
    includeDirs: [PROTO_DIR, GOOGLEAPIS_DIR, path.join(__dirname, 'protos')] });
const api = grpc.loadPackageDefinition(loaded);

let server;
let serverLog = '';
let tmpdir;
let clients;
let metricsAddress;

function startServer() {
  tmpdir = fs.mkdtempSync(path.join(os.tmpdir(), 'inrapport-e2e-'));
  server = spawn(SERVER, ['--listen=127.0.0.1:0', '--metrics_listen=127.0.0.1:0',
                          `--db=${path.join(tmpdir, 'e2e.db')}`, '--tariff_sek_per_hour=600'],
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
        resolve({ grpcAddress: grpcMatch[1], metrics: metricsMatch[1] });
      }
    });
    server.on('exit', (code) => reject(new Error(`inrapportd exited (${code}):\n${serverLog}`)));
  });
}

// Promisified unary call that resolves to { error, response }.
function call(client, method, request) {
  return new Promise((resolve) => {
    client[method](request, { deadline: Date.now() + 10000 },
                   (error, response) => resolve({ error, response }));
  });
}

async function ok(client, method, request) {
  const { error, response } = await call(client, method, request);
  assert.equal(error, null, `${method} failed: ${error && error.details}`);
  return response;
}

before(async () => {
  const { grpcAddress, metrics } = await startServer();
  metricsAddress = metrics;
  const credentials = grpc.credentials.createInsecure();
  clients = {
    duties: new api.inrapport.v1.DutyRegistry(grpcAddress, credentials),
    intake: new api.inrapport.v1.ReportIntake(grpcAddress, credentials),
    burden: new api.inrapport.v1.BurdenQuery(grpcAddress, credentials),
    health: new api.grpc.health.v1.Health(grpcAddress, credentials),
    reflection: new api.grpc.reflection.v1alpha.ServerReflection(grpcAddress, credentials),
  };
});

after(() => {
  if (clients) Object.values(clients).forEach((c) => c.close());
  if (server && server.exitCode === null) server.kill('SIGKILL');
  if (tmpdir) fs.rmSync(tmpdir, { recursive: true, force: true });
});

function duty(id, agency, purpose) {
  return { id, agency_id: agency, title: `Duty ${id}`, legal_basis: 'SkolL 26 kap. 25 §',
           purpose, sector: 'SECTOR_SCHOOL', frequency: 'FREQUENCY_ANNUAL',
           // Items of their own: shared items would flag DUPLICATE_DATA.
           data_items: [`${id}_pupils`, `${id}_teachers`] };
}

function report(id, municipality, dutyId, minutes) {
  return { submission_id: id, municipality_code: municipality, duty_id: dutyId,
           period: '2024', minutes_spent: minutes, staff_count: 1, usefulness: 3,
           feedback_received: 'ANSWER_YES', already_reported_elsewhere: 'ANSWER_UNSPECIFIED',
           comment: 'e2e' };
}

const municipalities = ['0180', '0182', '1283', '1480', '1280', '0380'];
let acceptedMinutes = 0;

test('health check answers SERVING', async () => {
  const response = await ok(clients.health, 'Check', { service: '' });
  assert.equal(response.status, 'SERVING');
});

test('server reflection lists the services', async () => {
  const names = await new Promise((resolve, reject) => {
    const call = clients.reflection.ServerReflectionInfo();
    call.on('data', (response) => {
      resolve(response.list_services_response.service.map((s) => s.name));
      call.end();
    });
    call.on('error', reject);
    call.write({ list_services: '' });
  });
  for (const service of ['inrapport.v1.DutyRegistry', 'inrapport.v1.ReportIntake',
                         'inrapport.v1.BurdenQuery', 'grpc.health.v1.Health']) {
    assert.ok(names.includes(service), `${service} missing from ${names}`);
  }
});

test('a duty without a purpose is flagged, and the flag clears when one is stated', async () => {
  const withPurpose = await ok(clients.duties, 'CreateDuty',
                               { duty: duty('e2e-with', 'skolverket', 'Skolverket publishes it.') });
  assert.deepEqual(withPurpose.flags, []);
  // The legal basis comes back parsed, part by part, with its canonical text.
  assert.deepEqual(withPurpose.legal_references, [
    { kind: 'KIND_SECTION', act: 'SkolL', sfs_number: '', chapter: '26', section: '25',
      point: '', text: 'SkolL 26 kap. 25 §' }]);
  const without = await ok(clients.duties, 'CreateDuty', { duty: duty('e2e-without', 'scb', '') });
  assert.equal(without.flags.length, 1);
  assert.equal(without.flags[0].code, 'NO_STATED_PURPOSE');
  assert.ok(without.flags[0].reason.length > 20);
  // No report yet: the evidence says no time has been measured.
  assert.equal(without.flags[0].evidence.reports, '0');
  assert.equal(without.flags[0].evidence.measured_minutes, '0');

  const updated = await ok(clients.duties, 'UpdateDuty',
                           { duty: duty('e2e-without', 'scb', 'SCB publishes official statistics.') });
  assert.deepEqual(updated.flags, []);
  // Flag it again for the metrics checks below.
  const again = await ok(clients.duties, 'UpdateDuty', { duty: duty('e2e-without', 'scb', ' ') });
  assert.equal(again.flags[0].code, 'NO_STATED_PURPOSE');

  const listed = await ok(clients.duties, 'ListDuties', { flagged_only: true });
  assert.deepEqual(listed.duties.map((d) => d.id), ['e2e-without']);
});

test('an agency records a use of a duty, and a retry is recognised', async () => {
  const use = { duty_id: 'e2e-with', use_id: 'statistik-2024', kind: 'USE_KIND_PUBLICATION',
                date: '2025-03-01', description: 'Published in the national school statistics.',
                link: 'https://example.org/statistik', first_period: '2024', last_period: '2024' };
  const first = await ok(clients.duties, 'RecordDutyUse', { use });
  assert.equal(first.duplicate, false);
  const retry = await ok(clients.duties, 'RecordDutyUse', { use });
  assert.equal(retry.duplicate, true);
  const future = await call(clients.duties, 'RecordDutyUse',
                            { use: { ...use, use_id: 'later', date: '2999-01-01' } });
  assert.equal(future.error.code, grpc.status.INVALID_ARGUMENT);
  assert.match(future.error.details, /date/);
  const listed = await ok(clients.duties, 'ListDutyUses', { duty_id: 'e2e-with' });
  assert.deepEqual(listed.uses.map((u) => u.use_id), ['statistik-2024']);
});

test('unary reports: accepted, retried, conflicting and invalid', async () => {
  const first = await ok(clients.intake, 'SubmitReport', { report: report('u1', '0180', 'e2e-with', 25) });
  assert.equal(first.duplicate, false);
  acceptedMinutes += 25;
  const retry = await ok(clients.intake, 'SubmitReport', { report: report('u1', '0180', 'e2e-with', 25) });
  assert.equal(retry.duplicate, true);

  const conflict = await call(clients.intake, 'SubmitReport', { report: report('u1', '0180', 'e2e-with', 26) });
  assert.equal(conflict.error.code, grpc.status.ALREADY_EXISTS);

  const unknownDuty = await call(clients.intake, 'SubmitReport', { report: report('u2', '0180', 'nope', 5) });
  assert.equal(unknownDuty.error.code, grpc.status.NOT_FOUND);
  assert.match(unknownDuty.error.details, /nope/);

  const zero = await call(clients.intake, 'SubmitReport', { report: report('u3', '0180', 'e2e-with', 0) });
  assert.equal(zero.error.code, grpc.status.INVALID_ARGUMENT);
  assert.match(zero.error.details, /minutes_spent/);
});

test('a client stream counts accepted, duplicate and rejected reports', async () => {
  const response = await new Promise((resolve, reject) => {
    const stream = clients.intake.SubmitReports((error, result) => (error ? reject(error) : resolve(result)));
    for (let i = 0; i < 50; i++) {
      const minutes = 10 + i;
      const municipality = i === 17 ? '9999' : municipalities[i % municipalities.length];
      if (i !== 17) acceptedMinutes += minutes;
      stream.write({ report: report(`s${i}`, municipality, i % 2 ? 'e2e-with' : 'e2e-without', minutes) });
    }
    stream.write({ report: report('u1', '0180', 'e2e-with', 25) });  // a duplicate
    stream.end();
  });
  assert.equal(response.accepted, 49);
  assert.equal(response.duplicate, 1);
  assert.equal(response.rejected, 1);
  assert.equal(response.rejections.length, 1);
  assert.equal(response.rejections[0].index, 17);
  assert.equal(response.rejections[0].submission_id, 's17');
  assert.equal(response.rejections[0].code, 'INVALID_ARGUMENT');
  assert.match(response.rejections[0].message, /municipality_code/);
});

test('the burden summary adds up to exactly what was accepted', async () => {
  const summary = await ok(clients.burden, 'GetBurdenSummary', { group_by: 'GROUP_BY_AGENCY' });
  assert.equal(summary.totals.reports, 50);
  assert.equal(summary.totals.minutes, acceptedMinutes);
  assert.equal(summary.totals.cost_sek, acceptedMinutes * 10);  // 600 SEK/h
  assert.equal(summary.totals.municipalities, municipalities.length);
  assert.equal(summary.rows.reduce((sum, row) => sum + row.minutes, 0), acceptedMinutes);
  const flagged = await ok(clients.burden, 'ListFlaggedDuties', {});
  assert.deepEqual(flagged.duties.map((d) => d.duty.id), ['e2e-without']);
});

test('the arena report served over gRPC is the JSON the CLI writes', async () => {
  const response = await ok(clients.burden, 'GetArenaReport', { format: 'REPORT_FORMAT_JSON' });
  assert.equal(response.content_type, 'application/json');
  const document = JSON.parse(Buffer.from(response.document).toString('utf8'));
  assert.equal(document.duties, 2);
  assert.equal(document.flagged_duties, 1);
  assert.equal(document.recorded_uses, 1);
  assert.equal(document.totals.reports, 50);
  assert.equal(document.totals.minutes, acceptedMinutes);
  assert.deepEqual(document.flagged.map((d) => d.account.duty_id), ['e2e-without']);
  // The structured message carries the same figures.
  assert.equal(Number(response.report.totals.minutes), acceptedMinutes);
  assert.deepEqual(response.report.flagged.map((d) => d.account.duty_id), ['e2e-without']);
});

test('metrics are served, and promtool finds nothing to fix', async () => {
  const body = await (await fetch(`http://${metricsAddress}/metrics`)).text();
  assert.match(body, /^inrapport_reports_total\{outcome="accepted"\} 50$/m);
  assert.match(body, /grpc_server_handled_total\{[^}]*grpc_method="SubmitReport"[^}]*\} /);
  assert.match(body, /grpc_server_handled_total\{grpc_code="OK",grpc_method="SubmitReport",grpc_service="inrapport\.v1\.ReportIntake",grpc_type="unary"\} 2/);
  assert.match(body, /inrapport_measured_burden_seconds\{agency="scb",sector="school",flagged="true"\}/);
  const promtool = spawnSync('promtool', ['check', 'metrics'], { input: body, encoding: 'utf8' });
  assert.equal(promtool.error, undefined, 'promtool not found: run scripts/install-deps.sh');
  assert.equal(promtool.stdout + promtool.stderr, '', 'promtool reported problems');
  assert.equal(promtool.status, 0);
});

test('SIGTERM drains and exits 0', async () => {
  const exited = new Promise((resolve) => server.on('exit', (code, signal) => resolve({ code, signal })));
  server.kill('SIGTERM');
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error('no exit in 15 s')), 15000);
  });
  const { code } = await Promise.race([exited, timeout]).finally(() => clearTimeout(timer));
  assert.equal(code, 0, serverLog);
  assert.match(serverLog, /event=drained/);
  assert.match(serverLog, /event=stopped/);
});
