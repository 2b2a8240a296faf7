// Placeholder until the generated lists land (wasm/tools/dts.mjs writes the real file).
export const COMMAND_TYPES = [];
export const EVENT_TYPES = [];
export const ERROR_CODES = [];
