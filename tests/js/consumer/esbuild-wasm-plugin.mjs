// A minimal esbuild plugin for WebAssembly ES-module integration, which the package's `bundler`
// build relies on (`import * as wasm from "./gigmarket_bg.wasm"`): the .wasm file becomes a JS
// module that embeds the bytes, instantiates them with the module's own imports and re-exports
// the instance's exports. (webpack's `experiments.asyncWebAssembly` and `vite-plugin-wasm` do the
// same for those bundlers.)
import fs from 'node:fs/promises';
import path from 'node:path';

const IDENT = /^[A-Za-z_$][\w$]*$/;

export const wasmEsmIntegration = {
  name: 'wasm-esm-integration',
  setup(build) {
    build.onResolve({ filter: /^wasm-bytes:/ }, (args) => ({ path: args.path.slice('wasm-bytes:'.length), namespace: 'wasm-bytes' }));
    build.onLoad({ filter: /.*/, namespace: 'wasm-bytes' }, async (args) => ({ contents: await fs.readFile(args.path), loader: 'binary' }));
    build.onResolve({ filter: /\.wasm$/ }, (args) => ({ path: path.resolve(args.resolveDir, args.path), namespace: 'wasm-module' }));
    build.onLoad({ filter: /.*/, namespace: 'wasm-module' }, async (args) => {
      const module = new WebAssembly.Module(await fs.readFile(args.path));
      const importModules = [...new Set(WebAssembly.Module.imports(module).map((i) => i.module))];
      const lines = importModules.map((m, i) => `import * as m${i} from ${JSON.stringify(m)};`);
      lines.push(`import bytes from ${JSON.stringify('wasm-bytes:' + args.path)};`);
      const importObject = importModules.map((m, i) => `${JSON.stringify(m)}: m${i}`).join(', ');
      lines.push(`const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { ${importObject} });`);
      for (const { name } of WebAssembly.Module.exports(module)) {
        if (IDENT.test(name)) lines.push(`export const ${name} = instance.exports.${name};`);
      }
      return { contents: lines.join('\n'), loader: 'js', resolveDir: path.dirname(args.path) };
    });
  },
};
