/**
 * `npm run page`: builds the browser page and serves examples/browser/dist on
 * http://127.0.0.1:8080 (set PORT / HOST to change) with a tiny static file server (node:http,
 * no dependency). Also used by test/browser/page.test.ts with an ephemeral port.
 *
 * The server sends COOP/COEP headers, so the page is cross-origin isolated and the wasm
 * backend may use threads.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildPage, DEFAULT_OUTDIR } from './build';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export interface PageServer {
  /** Base URL, ending with '/'. */
  url: string;
  close(): Promise<void>;
}

/** Serves the files of `root` (read-only, GET/HEAD) on `host:port`; port 0 picks a free one. */
export async function servePage(root: string = DEFAULT_OUTDIR, port = 8080, host = '127.0.0.1'): Promise<PageServer> {
  const base = resolve(root);
  const server = createServer((req, res) => {
    handle(base, req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(String(e));
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      ok();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}/`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

async function handle(base: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const headers: Record<string, string> = {
    'Cache-Control': 'no-store',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
    'X-Content-Type-Options': 'nosniff',
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
    return;
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
  } catch {
    res.writeHead(400, headers).end();
    return;
  }
  if (pathname.endsWith('/')) pathname += 'index.html';
  const file = resolve(join(base, normalize(pathname)));
  if (file !== base && !file.startsWith(base + sep)) {
    res.writeHead(403, headers).end();
    return;
  }
  const info = await stat(file).catch(() => null);
  if (!info || !info.isFile()) {
    res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end(`not found: ${pathname}\n`);
    return;
  }
  res.writeHead(200, {
    ...headers,
    'Content-Type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': String(info.size),
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file).pipe(res);
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isMain) {
  (async () => {
    const { outdir } = await buildPage();
    const port = Number(process.env.PORT ?? 8080);
    const server = await servePage(outdir, port, process.env.HOST ?? '127.0.0.1');
    console.log(`Serving ${outdir}`);
    console.log(`Open ${server.url} (Ctrl+C to stop)`);
  })().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
