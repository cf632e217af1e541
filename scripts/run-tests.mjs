#!/usr/bin/env node
// Root test runner (`pnpm test`).
//
// 1. Deletes stale {apps,packages}/*/.test-results.
// 2. Runs `turbo run test` one package at a time (2-core machines; suites start servers).
//    Extra arguments are passed to turbo, e.g. `pnpm test -- --filter @spot/db`.
// 3. Sums every {apps,packages}/*/.test-results/vitest.json (vitest JSON reporter) and prints,
//    as the very last line: `N passed, N failed` (+ `, N skipped` when any were skipped).
//
// Exit code is non-zero when turbo failed, any test failed, or no test ran at all.
// Each package's vitest config must write the JSON report there to be counted:
//   reporters: ['default', 'json'], outputFile: { json: '.test-results/vitest.json' }

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// `pnpm test -- --filter x` hands us a literal leading `--`; turbo would pass what follows to tasks.
const turboArgs = process.argv[2] === '--' ? process.argv.slice(3) : process.argv.slice(2);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS_DIR = '.test-results';
const RESULTS_FILE = 'vitest.json';

/** Folders under apps/ and packages/ (with a package.json unless `all`). */
function workspaceDirs(all = false) {
  const dirs = [];
  for (const group of ['apps', 'packages']) {
    const groupDir = path.join(root, group);
    if (!existsSync(groupDir)) continue;
    for (const entry of readdirSync(groupDir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const dir = path.join(groupDir, entry.name);
      if (all || existsSync(path.join(dir, 'package.json'))) dirs.push(dir);
    }
  }
  return dirs.sort();
}

function readPackageJson(dir) {
  try {
    return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  } catch {
    return {};
  }
}

const num = (v) => (Number.isFinite(v) && v > 0 ? v : 0);

/** Counts from one vitest JSON report; throws if it cannot be read or parsed. */
function countReport(file) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  if (report === null || typeof report !== 'object') throw new Error('not a JSON object');
  const passed = num(report.numPassedTests);
  let failed = num(report.numFailedTests);
  const skipped = num(report.numPendingTests) + num(report.numTodoTests);
  const notes = [];

  // A test file that crashed at import (or in a file-level hook) is reported as a failed
  // testResults entry with no failed assertion: count it as one failure.
  const files = Array.isArray(report.testResults) ? report.testResults : [];
  for (const tr of files) {
    if (tr?.status !== 'failed') continue;
    const assertions = Array.isArray(tr.assertionResults) ? tr.assertionResults : [];
    if (!assertions.some((a) => a?.status === 'failed')) {
      failed += 1;
      const firstLine = String(tr.message ?? '').split('\n')[0];
      notes.push(`suite failed: ${path.relative(root, String(tr.name ?? '?'))} ${firstLine}`);
    }
  }
  // Failed suites not visible as files (defensive), or an explicit unsuccessful run.
  if (failed === 0 && (num(report.numFailedTestSuites) > 0 || report.success === false)) {
    failed = 1;
    notes.push('report says the run was not successful');
  }
  return { passed, failed, skipped, notes };
}

// 1. Stale results would be counted again: remove them.
for (const dir of workspaceDirs(true)) {
  rmSync(path.join(dir, RESULTS_DIR), { recursive: true, force: true });
}

// 2. Run the tests. `--summarize` writes .turbo/runs/<id>.json with each task's exit code, which
// tells a package whose tests failed before writing a report from one that passed without one.
const runsDir = path.join(root, '.turbo', 'runs');
const listRuns = () => (existsSync(runsDir) ? readdirSync(runsDir) : []);
const runsBefore = new Set(listRuns());
const turbo = spawnSync(
  'pnpm',
  [
    'exec',
    'turbo',
    'run',
    'test',
    '--concurrency=1',
    '--continue=dependencies-successful',
    '--summarize',
    ...turboArgs,
  ],
  { cwd: root, stdio: 'inherit', env: process.env },
);
const turboFailed = turbo.status !== 0;
if (turbo.error) console.error(`run-tests: could not start turbo: ${turbo.error.message}`);
else if (turbo.signal) console.error(`run-tests: turbo was killed by ${turbo.signal}`);

/** Map package dir (absolute) -> exit code of its test task, or null if it did not run. */
function readTaskStatus() {
  const status = new Map();
  const created = listRuns().filter((f) => f.endsWith('.json') && !runsBefore.has(f));
  for (const f of created) {
    const file = path.join(runsDir, f);
    try {
      const summary = JSON.parse(readFileSync(file, 'utf8'));
      for (const task of summary.tasks ?? []) {
        if (task?.task !== 'test' || typeof task.directory !== 'string') continue;
        const code = task.execution?.exitCode;
        status.set(path.resolve(root, task.directory), Number.isInteger(code) ? code : null);
      }
    } catch {
      // unreadable summary: fall back to turbo's overall exit code
    }
    rmSync(file, { force: true });
  }
  return { status, found: created.length > 0 };
}
const { status: taskStatus, found: haveSummary } = readTaskStatus();

// 3. Collect the results.
const dirs = workspaceDirs();
const totals = { passed: 0, failed: 0, skipped: 0 };
const lines = [];
for (const dir of dirs) {
  const pkg = readPackageJson(dir);
  const name = pkg.name ?? path.relative(root, dir);
  const file = path.join(dir, RESULTS_DIR, RESULTS_FILE);
  // Did this package's test task fail? Without a run summary, assume so whenever turbo failed.
  // A package absent from the summary was out of scope (--filter) or never reached.
  const taskFailed = taskStatus.has(dir)
    ? taskStatus.get(dir) !== 0
    : !haveSummary && turboFailed && Boolean(pkg.scripts?.test);
  if (!existsSync(file)) {
    if (!pkg.scripts?.test || (haveSummary && !taskStatus.has(dir))) continue;
    if (taskFailed) {
      totals.failed += 1;
      lines.push(
        `${name}: tests failed or did not run, no ${RESULTS_DIR}/${RESULTS_FILE}: 1 failure`,
      );
    } else {
      lines.push(`${name}: warning: no ${RESULTS_DIR}/${RESULTS_FILE}; its tests are not counted`);
    }
    continue;
  }
  try {
    const r = countReport(file);
    if (taskFailed && r.failed === 0) {
      r.failed = 1;
      r.notes.push('test command failed although no test failed (e.g. an unhandled error)');
    }
    totals.passed += r.passed;
    totals.failed += r.failed;
    totals.skipped += r.skipped;
    lines.push(`${name}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
    for (const note of r.notes) lines.push(`  ${note}`);
  } catch (err) {
    totals.failed += 1;
    lines.push(`${name}: unreadable ${RESULTS_DIR}/${RESULTS_FILE} (${err.message}): 1 failure`);
  }
}

// A failing turbo run (e.g. a build dependency failed) must never end with "0 failed".
if (turboFailed && totals.failed === 0) {
  totals.failed = 1;
  lines.push('turbo run test failed without a failing test in any report: counted as 1 failure');
}
const ran = totals.passed + totals.failed;
if (ran === 0) lines.push('no test ran');

let summary = `${totals.passed} passed, ${totals.failed} failed`;
if (totals.skipped > 0) summary += `, ${totals.skipped} skipped`;

process.stdout.write(`\n--- test results ---\n${lines.map((l) => `${l}\n`).join('')}${summary}\n`);
process.exitCode = turboFailed || totals.failed > 0 || ran === 0 ? 1 : 0;
