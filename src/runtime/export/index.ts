/** Export and import across frameworks: onnx.export, exportPyTorch, PyTorch .pt/.pth checkpoints. See docs/export.md. */
export { onnx } from './onnx';
export type { OnnxExportOptions, OnnxExportResult } from './onnx';
export { loadTorch } from './pth';
export type { LoadTorchOptions } from './pth';
export { exportPyTorch, modelPy } from './pytorch';
export type { ExportPyTorchOptions, ExportPyTorchResult } from './pytorch';
