/**
 * The in-host suite's entry: VS Code's extension host (desktop via @vscode/test-electron, or code-server's) loads
 * this file as `extensionTestsPath` and calls `run()`. It runs the mocha tests in kernel.test.ts and writes a
 * results file beside itself, which the launcher (test/vscode/run.mjs) reads: a browser-hosted extension host
 * has no exit code to hand back.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import { defineKernelTests } from './kernel.test';

export interface SuiteResults {
  passed: number;
  failed: number;
  failures: Array<{ title: string; error: string }>;
}

export const RESULTS_FILE = join(__dirname, 'results.json');

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 120_000, color: false, reporter: 'spec' });
  // Install describe/it as globals for the tests defined below (what mocha does when it requires a spec file).
  mocha.suite.emit('pre-require', globalThis, 'in-host', mocha);
  defineKernelTests();
  return new Promise((resolve, reject) => {
    const results: SuiteResults = { passed: 0, failed: 0, failures: [] };
    const runner = mocha.run(() => {
      writeFileSync(RESULTS_FILE, JSON.stringify(results, null, 2));
      if (results.failed) reject(new Error(`${results.failed} in-host test(s) failed`));
      else resolve();
    });
    runner.on('pass', () => results.passed++);
    runner.on('fail', (test, err: Error) => {
      results.failed++;
      results.failures.push({ title: test.fullTitle(), error: err.stack ?? err.message });
    });
  });
}
