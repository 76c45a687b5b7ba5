import { defineConfig, type Plugin } from 'vite';
import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import { build as esbuild } from 'esbuild';
import manifest from './manifest.json' with { type: 'json' };

/**
 * The page hook and the isolated content script must run synchronously at
 * document_start: crxjs would wrap them in an asynchronous module loader, so
 * they are bundled here as self-contained IIFEs with fixed names, which the
 * background registers with scripting.registerContentScripts.
 */
function standaloneScripts(entries: Record<string, string>): Plugin {
  return {
    name: 'webrtc-lens:standalone-scripts',
    apply: 'build',
    async generateBundle() {
      for (const [fileName, entry] of Object.entries(entries)) {
        const result = await esbuild({
          entryPoints: [entry],
          bundle: true,
          format: 'iife',
          target: ['chrome121', 'firefox128'],
          minify: false,
          write: false,
          legalComments: 'none',
        });
        this.emitFile({ type: 'asset', fileName, source: result.outputFiles[0]!.text });
      }
    },
  };
}

export default defineConfig({
  plugins: [
    crx({ manifest: manifest as ManifestV3Export }),
    standaloneScripts({ 'page-hook.js': 'src/page/hook.ts', 'content.js': 'src/content/index.ts' }),
  ],
  build: {
    outDir: 'dist/chrome',
    emptyOutDir: true,
    target: ['chrome121', 'firefox128'],
    minify: false,
  },
});
