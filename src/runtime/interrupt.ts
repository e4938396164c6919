/**
 * Cooperative interrupt: inside the executor, `__layerwise_executor.checkInterrupt()` throws when the user pressed
 * Stop. The runtime calls it at natural step boundaries (each DataLoader batch, each optimizer step) so training
 * loops stop promptly even where a signal cannot reach them. Outside the executor it is a no-op.
 */
interface ExecutorHooks {
  checkInterrupt?: () => void;
}

export function checkInterrupt(): void {
  const ex = (globalThis as { __layerwise_executor?: ExecutorHooks }).__layerwise_executor;
  if (ex && typeof ex.checkInterrupt === 'function') ex.checkInterrupt();
}
