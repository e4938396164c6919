/**
 * Allocation serials of wasm storages (kept apart from storage.ts so the autograd engine can read them without
 * importing the WebAssembly-typed backend files).
 */
let next = 0;

/** The serial the next wasm storage will get (storages made after this call have serial >= it). */
export function storageSerial(): number {
  return next;
}

export function nextStorageSerial(): number {
  return next++;
}
