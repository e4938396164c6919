#!/usr/bin/env node
// Regenerates src/runtime/export/onnx/onnx.schema.json (protobufjs JSON descriptor) from the vendored onnx.proto.
import protobuf from 'protobufjs';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'src/runtime/export/onnx');
export const schemaJson = (text) => protobuf.parse(text, { keepCase: true }).root.toJSON();
const json = schemaJson(readFileSync(join(dir, 'onnx.proto'), 'utf8'));
writeFileSync(join(dir, 'onnx.schema.json'), JSON.stringify(json) + '\n');
console.log('wrote onnx.schema.json');
