// Cell errors as the notebook shows and saves them (src/executor/errorformat.ts): user frames only, Layerwise's
// frames folded, paths relative to the notebook, no install path left, the message wrapped.
import * as assert from 'node:assert/strict';
import { formatCellError, wrapLine } from '../../src/executor/errorformat';

const EXT = '/root/.vscode-server/extensions/layerwise.layerwise-0.1.0';
const opts = { internal: [`${EXT}/dist/runtime.js`, `${EXT}/dist/executor.js`], notebookDir: '/home/ana/course', home: '/home/ana' };

describe('cell error formatting', () => {
  it('folds runtime frames, keeps user frames with notebook-relative paths, drops trailing internals', () => {
    const stack = [
      'Error: Conv2d: expected input with 3 channels, got 1 (input [8, 1, 28, 28])',
      `    at checkChannels (${EXT}/dist/runtime.js:1200:11)`,
      `    at Conv2d.forward (${EXT}/dist/runtime.js:3400:5)`,
      `    at Module.call (${EXT}/dist/runtime.js:2900:20)`,
      '    at Cell 4:3:9',
      '    at trainStep (/home/ana/course/lib/train.ts:12:5)',
      '    at /home/ana/other/util.js:1:1',
      `    at runCell (${EXT}/dist/executor.js:10:1)`,
      '',
      '> 3 | const y = net(x);',
    ].join('\n');
    const f = formatCellError({ name: 'Error', message: 'Conv2d: expected input with 3 channels', stack }, opts);
    assert.equal(f.stack, [
      'Error: Conv2d: expected input with 3 channels, got 1 (input [8, 1, 28, 28])',
      '    at … (3 Layerwise runtime frames hidden)',
      '    at Cell 4:3:9',
      '    at trainStep (lib/train.ts:12:5)',
      '    at ~/other/util.js:1:1',
      '',
      '> 3 | const y = net(x);',
    ].join('\n'));
    assert.ok(!f.stack.includes(EXT));
  });

  it('wraps a long message (the executor-died message) at word boundaries', () => {
    const message = 'The executor process was killed by SIGKILL while this cell was running. All variables are lost; the next run starts a new process.';
    const f = formatCellError({ name: 'ExecutorDied', message, stack: `ExecutorDied: ${message}` }, { ...opts, width: 60 });
    const lines = f.stack.split('\n');
    assert.ok(lines.length >= 3 && lines.every((l) => l.length <= 60), f.stack);
    assert.equal(lines.join(' '), `ExecutorDied: ${message}`);
    assert.deepEqual(wrapLine('short'), ['short']);
  });
});
