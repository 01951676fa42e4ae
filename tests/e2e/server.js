// A static file server for the built site, as plain static hosting would serve it: files
// only, the right content types, the site's 404 page. No range requests are needed.

import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".bin": "application/octet-stream",
  ".xml": "application/xml",
  ".svg": "image/svg+xml",
  ".txt": "text/plain; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
};

/**
 * Serves `root` on a free loopback port; resolves to {url, close}. Options: `pages`, extra
 * HTML pages by path (not in the site); `onResponse(path, bytes)`, told of every body sent
 * (for measuring downloads).
 */
export function serve(root, { pages = {}, onResponse = () => {} } = {}) {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    const { status, type, body } = await respond(root, path, pages);
    onResponse(path, body);
    res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
    res.end(body);
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

/** What to answer for `path`. */
async function respond(root, path, pages) {
  if (Object.hasOwn(pages, path)) return { status: 200, type: TYPES[".html"], body: Buffer.from(pages[path]) };
  let file = normalize(join(root, path));
  if (!file.startsWith(root + sep) && file !== root) return { status: 403, type: TYPES[".txt"], body: Buffer.from("") };
  try {
    if ((await stat(file)).isDirectory()) file = join(file, "index.html");
    return { status: 200, type: TYPES[extname(file)] || "application/octet-stream", body: await readFile(file) };
  } catch {
    const body = await readFile(join(root, "404.html")).catch(() => Buffer.from("Not found"));
    return { status: 404, type: TYPES[".html"], body };
  }
}
