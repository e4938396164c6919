import * as vscode from 'vscode';
import type { ExecEvent } from '../executor/client';
import { displayOutput, errorOutput, resultOutput, bundleToItems } from './outputs';

type StreamName = 'stdout' | 'stderr';

/**
 * Turns executor events for one cell into edits of its outputs, in arrival order: stream text is appended to
 * the current stream output, displays are appended, updates replace every output with that display id in
 * place. Edits are chained so they reach VS Code in order; `flush()` waits for all of them.
 */
export class CellWriter {
  private chain: Promise<unknown> = Promise.resolve();
  private lastStream: { name: StreamName; output: vscode.NotebookCellOutput } | undefined;
  private readonly displays = new Map<string, vscode.NotebookCellOutput[]>();

  constructor(
    private readonly exec: vscode.NotebookCellExecution,
    private readonly log: (msg: string) => void,
  ) {}

  onEvent(e: ExecEvent): void {
    switch (e.type) {
      case 'stream':
        return this.stream(e.name, e.text);
      case 'display':
        return this.append(displayOutput(e.bundle, e.displayId), e.displayId);
      case 'update':
        return this.update(e.displayId, e);
      case 'result':
        return this.append(resultOutput(e.bundle, this.exec.executionOrder));
    }
  }

  error(error: { name: string; message: string; stack?: string }): void {
    this.append(errorOutput(error));
  }

  flush(): Promise<unknown> {
    return this.chain;
  }

  private stream(name: StreamName, text: string): void {
    const item = name === 'stdout' ? vscode.NotebookCellOutputItem.stdout(text) : vscode.NotebookCellOutputItem.stderr(text);
    const last = this.lastStream;
    if (last && last.name === name) {
      this.enqueue(() => this.exec.appendOutputItems(item, last.output));
      return;
    }
    const output = new vscode.NotebookCellOutput([item]);
    this.append(output);
    this.lastStream = { name, output };
  }

  private append(output: vscode.NotebookCellOutput, displayId?: string): void {
    this.lastStream = undefined;
    if (displayId) this.displays.set(displayId, [...(this.displays.get(displayId) ?? []), output]);
    this.enqueue(() => this.exec.appendOutput(output));
  }

  /** An id this cell has not displayed (e.g. one shown by an earlier cell) is shown here as a new display. */
  private update(displayId: string, e: Extract<ExecEvent, { type: 'update' }>): void {
    const targets = this.displays.get(displayId);
    if (!targets) return this.append(displayOutput(e.bundle, displayId), displayId);
    for (const output of targets) {
      this.enqueue(() => this.exec.replaceOutputItems(bundleToItems(e.bundle), output));
    }
  }

  private enqueue(edit: () => Thenable<void>): void {
    this.chain = this.chain.then(edit).then(undefined, (err) => this.log(`output edit failed: ${err}`));
  }
}
