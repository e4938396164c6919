// The TypeScript server plugin inside a real tsserver (the one VS Code runs), loaded the way VS Code loads it
// (--globalPlugins + --pluginProbeLocations): a plain .ts file sharing an inferred project with a notebook cell
// keeps its normal errors; the cell sees the Layerwise globals.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');
type Diag = { text: string; code: number };

/** Opens the files in a tsserver with the plugin, asks for errors, resolves with the semantic diagnostics per file. */
function tsserverDiagnostics(files: { file: string; content: string }[], root: string): Promise<Map<string, Diag[]>> {
  const server = spawn(process.execPath, [join(ROOT, 'node_modules/typescript/lib/tsserver.js'), '--globalPlugins', 'layerwise-ts-plugin',
    '--pluginProbeLocations', ROOT, '--useInferredProjectPerProjectRoot', '--disableAutomaticTypingAcquisition'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const result = new Map<string, Diag[]>();
  let seq = 0;
  const send = (command: string, args: unknown) => server.stdin.write(`${JSON.stringify({ seq: ++seq, type: 'request', command, arguments: args })}\n`);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (server.kill(), reject(new Error('tsserver did not answer'))), 60_000);
    let buf = '';
    server.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const line of lines.filter((l) => l.startsWith('{'))) {
        const m = JSON.parse(line);
        if (m.event === 'semanticDiag') result.set(m.body.file, m.body.diagnostics);
        if (m.event === 'requestCompleted' && m.body.request_seq === 2) {
          clearTimeout(timer);
          server.kill();
          resolve(result);
        }
      }
    });
    send('updateOpen', { openFiles: files.map((f) => ({ file: f.file, fileContent: f.content, projectRootPath: root, scriptKindName: 'TS' })) });
    send('geterr', { files: files.map((f) => f.file), delay: 0 });
  });
}

describe('ts-plugin in a real tsserver', function () {
  this.timeout(90_000);
  it('a plain file next to a notebook keeps its errors; the cell sees the globals', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lw-tsserver-'));
    try {
      const plain = join(dir, 'stats.ts');
      const content = 'const data = [3, 1, 2];\nconst best: number = max(data);\n';
      writeFileSync(plain, content);
      const cell = `^/vscode-notebook-cell/ts-nul-authority${dir}/nb.ipynb#W0sZmlsZQ%3D%3D`;
      const diags = await tsserverDiagnostics([{ file: plain, content }, { file: cell, content: "const t = max(tensor([1, 2]));\nconst q: number = 'x';\n" }], dir);
      assert.deepEqual(diags.get(plain)?.map((d) => d.text), ["Cannot find name 'max'."]);
      assert.deepEqual(diags.get(cell)?.map((d) => d.code), [2322]); // globals known; the real error still reported
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
