// The Grafana dashboard's shape: every panel reads the provisioned
// Prometheus datasource and has a query, panels fit the grid without
// overlapping, and every recorded series a query names is one that
// deploy/prometheus/rules/recording.yml records. (Whether the queries return
// data from a real inrapportd is tests/e2e/prometheus_scrape.test.js.)
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const SOURCE_DIR = process.env.INRAPPORT_SOURCE_DIR;
assert.ok(SOURCE_DIR, 'INRAPPORT_SOURCE_DIR must name the source directory');
const DEPLOY = path.join(SOURCE_DIR, 'deploy');

const dashboard = JSON.parse(
  fs.readFileSync(path.join(DEPLOY, 'grafana', 'dashboards', 'inrapport.json'), 'utf8'));
const allPanels = dashboard.panels.flatMap((panel) => [panel, ...(panel.panels || [])]);
const panels = allPanels.filter((panel) => panel.type !== 'row');

test('the dashboard is provisionable', () => {
  assert.equal(dashboard.uid, 'inrapport');
  assert.ok(dashboard.title.length > 0);
  assert.ok(dashboard.schemaVersion >= 36 && dashboard.schemaVersion <= 41,
            `schemaVersion ${dashboard.schemaVersion}`);
  assert.equal(dashboard.id, null, 'a provisioned dashboard has no id');
  const ids = allPanels.map((panel) => panel.id);
  assert.equal(new Set(ids).size, ids.length, `panel ids repeat: ${ids}`);
});

test('the provisioned datasource has the uid the panels use', () => {
  const datasources = fs.readFileSync(
    path.join(DEPLOY, 'grafana', 'provisioning', 'datasources', 'prometheus.yml'), 'utf8');
  assert.match(datasources, /^\s+uid: prometheus$/m);
  assert.match(datasources, /^\s+type: prometheus$/m);
});

test('every panel reads the prometheus datasource and has a query', () => {
  assert.ok(panels.length >= 10, `only ${panels.length} panels`);
  for (const panel of panels) {
    assert.ok(panel.title, `panel ${panel.id} has no title`);
    assert.deepEqual(panel.datasource, { type: 'prometheus', uid: 'prometheus' },
                     `"${panel.title}": datasource`);
    assert.ok(Array.isArray(panel.targets) && panel.targets.length > 0,
              `"${panel.title}" has no targets`);
    const refIds = panel.targets.map((target) => target.refId);
    assert.equal(new Set(refIds).size, refIds.length, `"${panel.title}": refIds repeat`);
    for (const target of panel.targets) {
      assert.equal(typeof target.expr, 'string', `"${panel.title}" ${target.refId}: no expr`);
      assert.ok(target.expr.trim().length > 0, `"${panel.title}" ${target.refId}: empty expr`);
      if (target.datasource) {
        assert.equal(target.datasource.uid, 'prometheus',
                     `"${panel.title}" ${target.refId}: datasource`);
      }
    }
  }
  for (const row of allPanels.filter((panel) => panel.type === 'row')) {
    assert.ok(!row.targets || row.targets.length === 0, `row "${row.title}" has targets`);
  }
});

test('panels fit the 24-column grid without overlapping', () => {
  const cells = new Map();
  for (const panel of allPanels) {
    const { x, y, w, h } = panel.gridPos || {};
    assert.ok([x, y, w, h].every(Number.isInteger), `"${panel.title}": gridPos`);
    assert.ok(x >= 0 && w > 0 && x + w <= 24 && h > 0, `"${panel.title}": ${x}+${w} > 24`);
    for (let row = y; row < y + h; ++row) {
      for (let column = x; column < x + w; ++column) {
        const key = `${column},${row}`;
        assert.ok(!cells.has(key), `"${panel.title}" overlaps "${cells.get(key)}"`);
        cells.set(key, panel.title);
      }
    }
  }
});

test('every recorded series a panel names is recorded', () => {
  const rules = fs.readFileSync(path.join(DEPLOY, 'prometheus', 'rules', 'recording.yml'),
                                'utf8');
  const recorded = new Set([...rules.matchAll(/^\s*- record: (\S+)$/gm)].map((m) => m[1]));
  assert.ok(recorded.size > 0, 'no recording rules found');
  let used = 0;
  for (const panel of panels) {
    for (const target of panel.targets) {
      // Recorded series are the only names with colons (level:metric:operations).
      for (const [name] of target.expr.matchAll(/[a-zA-Z_][a-zA-Z0-9_]*(?::[a-zA-Z0-9_]+){2}/g)) {
        assert.ok(recorded.has(name), `"${panel.title}" ${target.refId}: ${name} is not recorded`);
        ++used;
      }
    }
  }
  assert.ok(used > 0, 'no panel uses a recording rule');
});
