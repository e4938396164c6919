// The colormaps live in src/protocol/colormap.ts so the executor's PNG fallbacks paint the same colours.
export * from '../src/protocol/colormap';
