// The kernel scenario both VS Code suites walk: test/e2e (code-server driven through its UI by Playwright) and
// test/vscode (the same steps through the VS Code API, inside the extension host, with @vscode/test-electron or
// code-server's extension host). One notebook, one set of cell markers and expected outputs, so the two suites
// cannot drift apart. The notebook is test/e2e/fixtures/example.ipynb.
export const KERNEL_SCENARIO = {
  notebook: 'example.ipynb',
  kernelLabel: 'Layerwise (TypeScript)',
  /** Cells are found by a marker in their source. */
  cells: {
    answer: "console.log('answer ='",
    tensor: 'tensor([[1, 2, 3]',
    progress: 'progress(5',
    model: 'new nn.Sequential',
    loop: 'spins until interrupted',
    afterInterrupt: 'after interrupt',
    kill: 'kills the kernel process',
  },
  expect: {
    answer: 'answer = 42',
    model: '1, 2', // the shape [1, 2], however it is printed
    interrupted: 'Execution interrupted',
    afterInterrupt: 'after interrupt, answer is 42',
    afterRestart: 'answer is not defined',
    killed: 'killed by SIGKILL',
    /** The model the Layers view lists after the model cell ran, and a row of its summary. */
    layersModel: 'net',
    layersRow: 'Linear',
  },
};
