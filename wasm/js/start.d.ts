/** Where `init` finds the WebAssembly module: its URL, its bytes, or a compiled module. */
export type InitSource = string | URL | ArrayBuffer | ArrayBufferView | WebAssembly.Module | Response | Promise<Response>;
