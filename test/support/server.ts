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

/** Answers a GET with a JSON value (e.g. the UDP relay rewriting a candidate for the page). */
export type ApiHandler = (query: URLSearchParams) => Promise<unknown>;

/**
 * Serves the test pages, plus `extra` files at fixed paths (e.g. a browser
 * bundle from node_modules: `{'/vendor/adapter.js': '/abs/path/adapter.js'}`),
 * plus `api` paths answered in JSON.
 */
export async function servePages(
  root = PAGES_DIR,
  extra: Record<string, string> = {},
  api: Record<string, ApiHandler> = {},
): Promise<PageServer> {
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = normalize(decodeURIComponent(url.pathname));
    const handler = api[path];
    if (handler) {
      try {
        res.writeHead(200, { 'content-type': TYPES['.json']! }).end(JSON.stringify(await handler(url.searchParams)));
      } catch (e) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end(String(e));
      }
      return;
    }
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
    close: () =>
      new Promise((ok) => {
        server.close(() => ok());
        server.closeAllConnections(); // a browser's spare keep-alive connection would hold close() for minutes
      }),
  };
}
