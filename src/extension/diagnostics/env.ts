/**
 * The Node globals the executor gives a cell (see src/executor/worker.ts), declared for the type checker. Kept
 * small on purpose instead of shipping @types/node: what cells use (console, timers, require, process, Buffer…).
 */
export const CELL_ENV_DTS = `
interface Console {
  log(...data: any[]): void; info(...data: any[]): void; warn(...data: any[]): void; error(...data: any[]): void;
  debug(...data: any[]): void; trace(...data: any[]): void; dir(item?: any, options?: any): void;
  table(data: any, properties?: string[]): void; assert(condition?: boolean, ...data: any[]): void;
  time(label?: string): void; timeEnd(label?: string): void; timeLog(label?: string, ...data: any[]): void;
  count(label?: string): void; countReset(label?: string): void; group(...data: any[]): void; groupEnd(): void;
  clear(): void;
}
declare var console: Console;
declare function setTimeout(callback: (...args: any[]) => void, ms?: number, ...args: any[]): any;
declare function setInterval(callback: (...args: any[]) => void, ms?: number, ...args: any[]): any;
declare function setImmediate(callback: (...args: any[]) => void, ...args: any[]): any;
declare function clearTimeout(handle: any): void;
declare function clearInterval(handle: any): void;
declare function clearImmediate(handle: any): void;
declare function queueMicrotask(callback: () => void): void;
declare function structuredClone<T>(value: T, options?: any): T;
declare function require(id: string): any;
declare var process: any;
declare var Buffer: any;
declare var module: any;
declare var exports: any;
declare var __dirname: string;
declare var __filename: string;
declare var performance: { now(): number; timeOrigin: number };
declare function fetch(input: string | URL, init?: any): Promise<any>;
declare class URL {
  constructor(url: string | URL, base?: string | URL);
  href: string; origin: string; protocol: string; host: string; hostname: string; port: string; pathname: string;
  search: string; hash: string; searchParams: any; toString(): string; toJSON(): string;
}
declare class TextEncoder { readonly encoding: string; encode(input?: string): Uint8Array; }
declare class TextDecoder { constructor(label?: string, options?: any); readonly encoding: string; decode(input?: ArrayBufferView | ArrayBuffer, options?: any): string; }
declare class AbortController { readonly signal: AbortSignal; abort(reason?: any): void; }
interface AbortSignal { readonly aborted: boolean; readonly reason: any; }
`;
