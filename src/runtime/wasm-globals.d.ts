/**
 * The subset of the WebAssembly JS API the runtime uses. TypeScript ships these types only in lib.dom, which the
 * runtime must not include (it runs in Node and in the executor, never in a page).
 */
declare namespace WebAssembly {
  interface MemoryDescriptor { initial: number; maximum?: number; shared?: boolean }
  class Memory {
    constructor(descriptor: MemoryDescriptor);
    readonly buffer: ArrayBuffer;
    grow(delta: number): number;
  }
  class Module {
    constructor(bytes: BufferSource);
    static imports(module: Module): Array<{ module: string; name: string; kind: string }>;
    static exports(module: Module): Array<{ name: string; kind: string }>;
  }
  type ImportValue = Memory | Function | number | Global | Table;
  type Imports = Record<string, Record<string, ImportValue>>;
  class Instance {
    constructor(module: Module, imports?: Imports);
    readonly exports: Record<string, unknown>;
  }
  class Global { value: unknown }
  class Table { readonly length: number }
  function validate(bytes: BufferSource): boolean;
  function compile(bytes: BufferSource): Promise<Module>;
  function instantiate(module: Module, imports?: Imports): Promise<Instance>;
  class RuntimeError extends Error {}
  class CompileError extends Error {}
  class LinkError extends Error {}
}
type BufferSource = ArrayBufferView | ArrayBuffer;
