// The HTTP/JSON face through an independent client: Node's own fetch, the
// way a municipal system behind an HTTP gateway would call it. A duty, a
// report with its receipt, a stream of newline-delimited reports, the list
// of the municipality's reports, and an error in JSON.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { after, before, test } = require('node:test');
const { startServer } = require('./server.js');

const SERVER = process.env.INRAPPORTD;
assert.ok(SERVER, 'INRAPPORTD must name the server binary');

let server;
let base;

before(async () => {
  const tmpdir = fs.mkdtempSync(path.join(os.tmpdir(), 'inrapport-http-'));
  const started = await startServer(
    SERVER, ['--listen=127.0.0.1:0', '--metrics_listen=127.0.0.1:0', '--http_listen=127.0.0.1:0',
             `--db=${path.join(tmpdir, 'e2e.db')}`], ['http']);
  server = started.server;
  base = `http://${started.addresses.http}`;
});

after(() => { if (server) server.kill('SIGTERM'); });

async function call(method, route, body) {
  const response = await fetch(base + route, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body)),
  });
  assert.match(response.headers.get('content-type'), /^application\/json/);
  return { status: response.status, json: await response.json() };
}

test('a municipal system reports over HTTP/JSON and reads its receipts back', async () => {
  const created = await call('POST', '/v1/duties', {
    id: 'sos-ekb', agencyId: 'socialstyrelsen', title: 'Ekonomiskt bistånd',
    legalBasis: 'SoL 12 kap. 1 §', purpose: 'Officiell statistik om ekonomiskt bistånd.',
    sector: 'SECTOR_SOCIAL_SERVICES', frequency: 'FREQUENCY_MONTHLY', dataItems: ['hushåll'],
  });
  assert.equal(created.status, 200, JSON.stringify(created.json));
  assert.equal(created.json.id, 'sos-ekb');

  const report = { submissionId: '1283-2025-03', municipalityCode: '1283', dutyId: 'sos-ekb',
                   period: '2025-03', minutesSpent: 95, staffCount: 2 };
  const first = await call('POST', '/v1/reports', report);
  assert.equal(first.status, 200, JSON.stringify(first.json));
  assert.equal(first.json.duplicate, false);
  assert.equal(first.json.receipt.version, 1);
  const receivedAt = Date.parse(first.json.receipt.receivedAt);
  assert.ok(Math.abs(receivedAt - Date.now()) < 60000, first.json.receipt.receivedAt);

  const stream = [
    { ...report, submissionId: '1283-2025-04', period: '2025-04', minutesSpent: 80 },
    { ...report, submissionId: '1283-2025-05', period: '2025-13' },
  ].map((r) => JSON.stringify(r)).join('\n');
  const streamed = await call('POST', '/v1/reports:stream', stream);
  assert.equal(streamed.status, 200, JSON.stringify(streamed.json));
  assert.equal(streamed.json.accepted, '1');  // int64 is a string in JSON
  assert.equal(streamed.json.rejected, '1');
  assert.equal(streamed.json.rejections[0].code, 'INVALID_ARGUMENT');
  assert.equal(streamed.json.receipts[0].submissionId, '1283-2025-04');

  const listed = await call('GET', '/v1/reports?municipalityCode=1283&periodFrom=2025Q1');
  assert.equal(listed.status, 200);
  assert.deepEqual(listed.json.reports.map((r) => r.report.submissionId),
                   ['1283-2025-03', '1283-2025-04']);
  assert.equal(listed.json.reports[0].receipt.receivedAt, first.json.receipt.receivedAt);

  const conflict = await call('POST', '/v1/reports', { ...report, minutesSpent: 96 });
  assert.equal(conflict.status, 409);
  assert.equal(conflict.json.error.status, 'ALREADY_EXISTS');
  const bad = await call('POST', '/v1/reports', { ...report, submissionId: 'x', period: '2025Q9' });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.details[0].fieldViolations[0].field, 'report.period');

  // The mistyped minutes corrected: version 2; the same correction again
  // is a duplicate, one against version 1 again a 409 (ABORTED).
  const correctRoute = '/v1/municipalities/1283/reports/1283-2025-03:correct';
  const corrected = await call('POST', correctRoute,
                               { report: { ...report, minutesSpent: 59 },
                                 reason: 'Fel antal minuter', version: 1 });
  assert.equal(corrected.status, 200, JSON.stringify(corrected.json));
  assert.equal(corrected.json.report.receipt.version, 2);
  assert.equal(corrected.json.report.report.minutesSpent, '59');
  assert.equal(corrected.json.report.receipt.receivedAt, first.json.receipt.receivedAt);
  const again = await call('POST', correctRoute, { report: { ...report, minutesSpent: 59 },
                                                   reason: 'Fel antal minuter', version: 1 });
  assert.equal(again.json.duplicate, true);
  const stale = await call('POST', correctRoute, { report: { ...report, minutesSpent: 60 },
                                                   reason: 'x', version: 1 });
  assert.equal(stale.status, 409);
  assert.equal(stale.json.error.status, 'ABORTED');

  const withdrawn = await call('POST', '/v1/municipalities/1283/reports/1283-2025-04:withdraw',
                               { reason: 'Skickad av misstag' });
  assert.equal(withdrawn.status, 200, JSON.stringify(withdrawn.json));
  assert.equal(withdrawn.json.report.withdrawn, true);
  const summary = await call('GET', '/v1/burden/summary?groupBy=GROUP_BY_MUNICIPALITY');
  assert.equal(summary.json.totals.minutes, '59');  // 95 corrected to 59; 80 withdrawn
  const got = await call('GET', '/v1/municipalities/1283/reports/1283-2025-03');
  assert.equal(got.json.earlierVersions[0].report.minutesSpent, '95');
});

test('the OpenAPI document is valid OpenAPI 3 and names every RPC with its route', async () => {
  const response = await fetch(base + '/openapi.json');  // no credentials needed
  assert.equal(response.status, 200);
  const document = await response.json();
  const { Validator } = await import('@seriousme/openapi-schema-validator');
  const result = await new Validator().validate(document);
  assert.equal(result.valid, true, JSON.stringify(result.errors));
  assert.equal(document.openapi, '3.0.3');

  const operations = {};
  for (const [route, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      operations[operation.operationId] = `${method.toUpperCase()} ${route}`;
    }
  }
  assert.equal(Object.keys(operations).length, 35);
  assert.equal(operations.UpdateAgency, 'PUT /v1/agencies/{agency.id}');
  assert.equal(operations.WithdrawReport,
               'POST /v1/municipalities/{municipality_code}/reports/{submission_id}:withdraw');
  assert.equal(operations.ListDueReports, 'GET /v1/municipalities/{municipality_code}/due');
  assert.equal(operations.SubmitReport, 'POST /v1/reports');
  assert.equal(operations.GetReport,
               'GET /v1/municipalities/{municipality_code}/reports/{submission_id}');
  assert.equal(operations.UpdateDuty, 'PUT /v1/duties/{duty.id}');
  // The query parameters are the request's fields, in the names the JSON uses.
  const list = document.paths['/v1/reports'].get.parameters.map((p) => p.name);
  assert.deepEqual(list.sort(), ['agencyId', 'dutyId', 'municipalityCode', 'pageSize',
                                 'pageToken', 'periodFrom', 'periodTo', 'receivedSince']);
  const receipt = document.components.schemas.inrapport_v1_Receipt.properties;
  assert.equal(receipt.receivedAt.format, 'date-time');
  assert.equal(receipt.index.type, 'string');  // int64 in the JSON mapping
});
