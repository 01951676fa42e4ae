// A static file server for the built site, as plain static hosting would serve it: files
// only, the right content types, the site's 404 page, and single byte ranges (the search
// fetches pieces of its packs so); `ranges: false` plays a server without them.

import { createServer } from "node:http";
import { open, readFile, stat } from "node:fs/promises";
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
 * HTML pages by path (not in the site); `ranges` (default true): answer `Range` requests;
 * `onResponse(path, bytes, status)`, told of every body sent (for measuring downloads);
 * `onRequest(path)`, told of every request as it arrives and awaited before answering (to
 * hold answers back).
 */
export function serve(root, { pages = {}, ranges = true, onResponse = () => {}, onRequest = () => {} } = {}) {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    await onRequest(path);
    const { status, type, body, headers } = await respond(root, path, pages, ranges ? req.headers.range : undefined);
    onResponse(path, body, status);
    res.writeHead(status, { "content-type": type, "cache-control": "no-store", ...headers });
    res.end(body);
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

/** What to answer for `path`, asked for the byte range `range` (a Range header) or whole. */
async function respond(root, path, pages, range) {
  if (Object.hasOwn(pages, path)) return { status: 200, type: TYPES[".html"], body: Buffer.from(pages[path]) };
  let file = normalize(join(root, path));
  if (!file.startsWith(root + sep) && file !== root) return { status: 403, type: TYPES[".txt"], body: Buffer.from("") };
  try {
    if ((await stat(file)).isDirectory()) file = join(file, "index.html");
    const type = TYPES[extname(file)] || "application/octet-stream";
    const answer = range === undefined ? null : await ranged(file, range);
    return answer ? { type, ...answer } : { status: 200, type, body: await readFile(file), headers: ACCEPT };
  } catch {
    const body = await readFile(join(root, "404.html")).catch(() => Buffer.from("Not found"));
    return { status: 404, type: TYPES[".html"], body };
  }
}

const ACCEPT = { "accept-ranges": "bytes" };

/**
 * The answer to a request for the one byte range `range` of `file` (RFC 9110): 206 with its
 * Content-Range and only those bytes read, or 416 when it lies past the end; null (the whole
 * file) for a header it cannot read, or one with several ranges.
 */
async function ranged(file, range) {
  const { size } = await stat(file);
  const [, first, last] = /^bytes=(\d*)-(\d*)$/.exec(range) || [];
  if (first === undefined || (first === "" && last === "")) return null;
  const start = first === "" ? Math.max(0, size - Number(last)) : Number(first);
  const end = first === "" || last === "" ? size - 1 : Math.min(Number(last), size - 1);
  if (first !== "" && last !== "" && Number(last) < start) return null;
  if (start >= size || (first === "" && Number(last) === 0)) {
    return { status: 416, body: Buffer.from(""), headers: { ...ACCEPT, "content-range": `bytes */${size}` } };
  }
  const handle = await open(file);
  try {
    const body = Buffer.alloc(end + 1 - start);
    await handle.read(body, 0, body.length, start);
    return { status: 206, body, headers: { ...ACCEPT, "content-range": `bytes ${start}-${end}/${size}` } };
  } finally {
    await handle.close();
  }
}
