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
          // module paths appear in the output: keep them the same wherever node_modules really lives (reproducible builds)
          preserveSymlinks: true,
        });
        this.emitFile({ type: 'asset', fileName, source: result.outputFiles[0]!.text });
      }
    },
  };
}

/** The add-on's id in Firefox (it keys its storage, so it must never change). */
const GECKO_ID = 'webrtc-lens@example.org';

/**
 * manifest.json is written for Chrome; Firefox (ESR 128+) gets a manifest
 * derived from it: the background as an event page (`background.scripts`,
 * loaded as an ES module, which Firefox supports since 112) instead of a
 * service worker, its add-on id and minimum version, the data collection
 * declaration (nothing is collected or sent anywhere), and no Chrome-only keys.
 */
function firefoxManifest(chrome: typeof manifest): ManifestV3Export {
  const { minimum_chrome_version: _chromeOnly, background, ...common } = chrome;
  return {
    ...common,
    background: { scripts: [background.service_worker], type: 'module' },
    browser_specific_settings: {
      gecko: {
        id: GECKO_ID,
        strict_min_version: '128.0',
        data_collection_permissions: { required: ['none'] },
      },
    },
  } as ManifestV3Export;
}

// `vite build` writes dist/chrome; `vite build --mode firefox` writes dist/firefox.
export default defineConfig(({ mode }) => {
  const firefox = mode === 'firefox';
  return {
    plugins: [
      crx({
        manifest: firefox ? firefoxManifest(manifest) : (manifest as ManifestV3Export),
        browser: firefox ? 'firefox' : 'chrome',
      }),
      standaloneScripts({ 'page-hook.js': 'src/page/hook.ts', 'content.js': 'src/content/index.ts' }),
    ],
    build: {
      outDir: firefox ? 'dist/firefox' : 'dist/chrome',
      emptyOutDir: true,
      target: ['chrome121', 'firefox128'],
      minify: false,
      rollupOptions: {
        // pages not listed in the manifest: the automation page (src/core/automation.ts),
        // the devtools panel (created by the devtools page) and the viewer (opened from the popup)
        input: { automation: 'src/ui/automation.html', panel: 'src/ui/panel/panel.html', viewer: 'src/ui/viewer/viewer.html' },
      },
    },
  };
});
