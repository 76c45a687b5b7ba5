// A static file server for the test pages, on 127.0.0.1 and a free port.

import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
};

export const PAGES_DIR = resolve(import.meta.dirname, '../pages');

export interface PageServer {
  origin: string;
  close(): Promise<void>;
}

/**
 * Serves the test pages, plus `extra` files at fixed paths (e.g. a browser
 * bundle from node_modules: `{'/vendor/adapter.js': '/abs/path/adapter.js'}`).
 */
export async function servePages(root = PAGES_DIR, extra: Record<string, string> = {}): Promise<PageServer> {
  const server: Server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const file = extra[path] ?? join(root, path);
    if (!(path in extra) && !file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}
