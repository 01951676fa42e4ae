// A static file server for the built site, as plain static hosting would serve it: files
// only, the right content types, the site's 404 page, and single byte ranges (the search
// fetches pieces of its packs so); `ranges: false` plays a server without them.

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
 * HTML pages by path (not in the site); `ranges` (default true): answer `Range` requests;
 * `onResponse(path, bytes, status)`, told of every body sent (for measuring downloads).
 */
export function serve(root, { pages = {}, ranges = true, onResponse = () => {} } = {}) {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    const answer = await respond(root, path, pages);
    const { status, type, body, headers } = ranges ? ranged(answer, req.headers.range) : answer;
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

/**
 * A 200 answer narrowed to the one byte range `range` asks for (RFC 9110): 206 with its
 * Content-Range, or 416 when it lies past the end; a header it cannot read, or one with
 * several ranges, is ignored (the whole file).
 */
function ranged(answer, range) {
  if (answer.status !== 200) return answer;
  const size = answer.body.length;
  const headers = { "accept-ranges": "bytes" };
  const [, first, last] = /^bytes=(\d*)-(\d*)$/.exec(range || "") || [];
  if (first === undefined || (first === "" && last === "")) return { ...answer, headers };
  const start = first === "" ? Math.max(0, size - Number(last)) : Number(first);
  const end = first === "" || last === "" ? size - 1 : Math.min(Number(last), size - 1);
  if (first !== "" && last !== "" && Number(last) < start) return { ...answer, headers };
  if (start >= size || (first === "" && Number(last) === 0)) {
    return { status: 416, type: answer.type, body: Buffer.from(""), headers: { ...headers, "content-range": `bytes */${size}` } };
  }
  return {
    status: 206,
    type: answer.type,
    body: answer.body.subarray(start, end + 1),
    headers: { ...headers, "content-range": `bytes ${start}-${end}/${size}` },
  };
}
