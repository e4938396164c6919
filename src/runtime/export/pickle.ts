/**
 * A restricted unpickler for PyTorch checkpoints: it reads the pickle opcodes torch.save emits for a state dict
 * (dicts, lists, tuples, strings, numbers, persistent ids) and resolves only the globals that rebuild tensors and
 * OrderedDicts. It never calls into arbitrary code: any other global (os.system, builtins.eval, …) or opcode
 * (INST, OBJ, NEWOBJ, EXT*, …) is rejected with an error naming it.
 */

/** A resolved global; `call` builds the value REDUCE asks for. */
export interface PickleGlobal {
  readonly name: string;
  call(args: unknown[]): unknown;
}

export type GlobalResolver = (module: string, name: string) => PickleGlobal | null;
export type PersistentLoad = (pid: unknown) => unknown;

/** An OrderedDict / dict: a Map with string or number keys; BUILD state (torch's _metadata) is kept aside. */
export class PickleDict extends Map<unknown, unknown> {
  state: unknown = undefined;
}

const MARK = Symbol('mark');

const te = new TextDecoder('utf-8', { fatal: true });

export function unpickle(bytes: Uint8Array, resolve: GlobalResolver, persistentLoad: PersistentLoad, where: string): unknown {
  return unpickleAt(bytes, 0, resolve, persistentLoad, where).value;
}

/** Unpickles the pickle starting at `start`; returns the value and the offset just past its STOP. */
export function unpickleAt(bytes: Uint8Array, start: number, resolve: GlobalResolver, persistentLoad: PersistentLoad, where: string): { value: unknown; end: number } {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = start;
  const stack: unknown[] = [];
  const memo = new Map<number, unknown>();
  const fail = (msg: string): never => {
    throw new Error(`loadTorch: ${where}: ${msg}`);
  };
  const need = (n: number): void => {
    if (pos + n > bytes.byteLength) fail(`truncated pickle (needs ${n} bytes at offset ${pos})`);
  };
  const u8 = (): number => (need(1), bytes[pos++]);
  const u16 = (): number => (need(2), (pos += 2), dv.getUint16(pos - 2, true));
  const i32 = (): number => (need(4), (pos += 4), dv.getInt32(pos - 4, true));
  const u32 = (): number => (need(4), (pos += 4), dv.getUint32(pos - 4, true));
  const u64 = (): number => {
    need(8);
    const v = dv.getBigUint64(pos, true);
    pos += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) fail(`length ${v} is too large`);
    return Number(v);
  };
  const raw = (n: number): Uint8Array => (need(n), (pos += n), bytes.subarray(pos - n, pos));
  const str = (n: number): string => te.decode(raw(n));
  const line = (): string => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) fail('unterminated text line');
    const s = te.decode(bytes.subarray(pos, end));
    pos = end + 1;
    return s;
  };
  const pop = (): unknown => (stack.length ? stack.pop() : fail('stack underflow'));
  const popMark = (): unknown[] => {
    const k = stack.lastIndexOf(MARK);
    if (k < 0) fail('MARK not found');
    const items = stack.slice(k + 1);
    stack.length = k;
    return items;
  };
  const top = (): unknown => (stack.length ? stack[stack.length - 1] : fail('stack underflow'));
  const setItems = (d: unknown, kv: unknown[]): void => {
    if (!(d instanceof Map)) fail('SETITEM(S) on a value that is not a dict');
    for (let i = 0; i + 1 < kv.length; i += 2) (d as Map<unknown, unknown>).set(kv[i], kv[i + 1]);
  };
  const global = (module: string, name: string): PickleGlobal => {
    const g = resolve(module, name);
    if (!g) {
      fail(`the checkpoint references '${module}.${name}', which is not a tensor or state-dict type. Only files written by torch.save(model.state_dict()) load here; nothing in a checkpoint is ever executed`);
    }
    return g as PickleGlobal;
  };
  /** A pickled int: a number when it is exactly representable, else a bigint (torch's legacy magic number). */
  const longLE = (b: Uint8Array): number | bigint => {
    let v = 0n;
    for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
    if (b.length && b[b.length - 1] & 0x80) v -= 1n << BigInt(8 * b.length);
    return v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER) ? v : Number(v);
  };

  for (;;) {
    const op = u8();
    switch (op) {
      case 0x80: u8(); break; // PROTO
      case 0x95: u64(); break; // FRAME
      case 0x2e: return { value: pop(), end: pos }; // STOP
      case 0x28: stack.push(MARK); break;
      case 0x4e: stack.push(null); break; // NONE
      case 0x88: stack.push(true); break; // NEWTRUE
      case 0x89: stack.push(false); break; // NEWFALSE
      case 0x4a: stack.push(i32()); break; // BININT
      case 0x4b: stack.push(u8()); break; // BININT1
      case 0x4d: stack.push(u16()); break; // BININT2
      case 0x8a: stack.push(longLE(raw(u8()))); break; // LONG1
      case 0x8b: stack.push(longLE(raw(i32()))); break; // LONG4
      case 0x47: need(8); stack.push(dv.getFloat64(pos, false)); pos += 8; break; // BINFLOAT (big-endian)
      case 0x49: { // INT (text, protocol 0)
        const s = line();
        stack.push(s === '01' ? true : s === '00' ? false : Number.parseInt(s, 10));
        break;
      }
      case 0x58: stack.push(str(u32())); break; // BINUNICODE
      case 0x8c: stack.push(str(u8())); break; // SHORT_BINUNICODE
      case 0x8d: stack.push(str(u64())); break; // BINUNICODE8
      case 0x55: stack.push(new TextDecoder('latin1').decode(raw(u8()))); break; // SHORT_BINSTRING
      case 0x54: stack.push(new TextDecoder('latin1').decode(raw(i32()))); break; // BINSTRING
      case 0x43: stack.push(raw(u8()).slice()); break; // SHORT_BINBYTES
      case 0x42: stack.push(raw(u32()).slice()); break; // BINBYTES
      case 0x7d: stack.push(new PickleDict()); break; // EMPTY_DICT
      case 0x5d: stack.push([]); break; // EMPTY_LIST
      case 0x29: stack.push(Object.freeze([])); break; // EMPTY_TUPLE
      case 0x74: stack.push(Object.freeze(popMark())); break; // TUPLE
      case 0x85: stack.push(Object.freeze([pop()])); break; // TUPLE1
      case 0x86: { const b = pop(); const a = pop(); stack.push(Object.freeze([a, b])); break; } // TUPLE2
      case 0x87: { const c = pop(); const b = pop(); const a = pop(); stack.push(Object.freeze([a, b, c])); break; } // TUPLE3
      case 0x6c: stack.push(popMark()); break; // LIST
      case 0x64: { const items = popMark(); const d = new PickleDict(); setItems(d, items); stack.push(d); break; } // DICT
      case 0x61: { const v = pop(); const l = top(); if (!Array.isArray(l) || Object.isFrozen(l)) fail('APPEND to a non-list'); (l as unknown[]).push(v); break; }
      case 0x65: { const items = popMark(); const l = top(); if (!Array.isArray(l) || Object.isFrozen(l)) fail('APPENDS to a non-list'); (l as unknown[]).push(...items); break; }
      case 0x73: { const v = pop(); const k = pop(); setItems(top(), [k, v]); break; } // SETITEM
      case 0x75: { const items = popMark(); setItems(top(), items); break; } // SETITEMS
      case 0x71: memo.set(u8(), top()); break; // BINPUT
      case 0x72: memo.set(u32(), top()); break; // LONG_BINPUT
      case 0x94: memo.set(memo.size, top()); break; // MEMOIZE
      case 0x68: case 0x6a: { // BINGET, LONG_BINGET
        const k = op === 0x68 ? u8() : u32();
        if (!memo.has(k)) fail(`memo key ${k} is missing`);
        stack.push(memo.get(k));
        break;
      }
      case 0x63: { const module = line(); const name = line(); stack.push(global(module, name)); break; } // GLOBAL
      case 0x93: { const name = pop(); const module = pop(); stack.push(global(String(module), String(name))); break; } // STACK_GLOBAL
      case 0x52: { // REDUCE
        const args = pop();
        const f = pop();
        if (!f || typeof (f as PickleGlobal).call !== 'function' || !Array.isArray(args)) fail('REDUCE needs a resolved global and an argument tuple');
        stack.push((f as PickleGlobal).call(args as unknown[]));
        break;
      }
      case 0x62: { // BUILD: only a dict's state (torch's state_dict._metadata) is accepted
        const state = pop();
        const obj = top();
        if (!(obj instanceof PickleDict)) fail('BUILD on an object that is not a dict (an arbitrary class instance)');
        (obj as PickleDict).state = state;
        break;
      }
      case 0x51: stack.push(persistentLoad(pop())); break; // BINPERSID
      default:
        fail(`pickle opcode 0x${op.toString(16).padStart(2, '0')} ('${String.fromCharCode(op)}') at offset ${pos - 1} is not allowed in a tensor checkpoint`);
    }
  }
}
