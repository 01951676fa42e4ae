// Insyn's search engine in the browser: the WebAssembly engine and the index bundle, run in a
// Web Worker so typing never waits for a search. Also an ES module exporting
// `createEngine` and `rangeLoader`, so Node tests drive exactly this code.
//
// Most of the index and all the passages' texts sit beside the index bundle, in a few pack
// files; a search fetches the pieces of them it needs (each once), by HTTP range: the blocks
// of the postings its terms lie in, then the text chunks its hits are in. Pieces are stored
// deflate-compressed and inflated here, with the platform's DecompressionStream.
//
// Messages in:  {type: "init", engine: url, index: url}
//               {type: "search", id, request, index?: url (another index than init's)}
// Messages out: {type: "ready"} | {type: "error", id?, message, damaged, gone, unreachable}
//               {type: "result", id, response}
// A large site has two indexes: of its newest audits, which a first search opens, and of
// every audit, opened when a search asks for it.
// `damaged`: a file of the index failed its checksum or could not be read (rebuild the site).
// `gone`: the host no longer has a file of the index the page named (404 or 410): the site
// was most likely published again since the page loaded (reload it).
// `unreachable`: a file could not be fetched (no answer, or an HTTP error other than gone):
// the network or the host failed (try again).

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Rounds of fetching a search goes through at most (the engine's MAX_ROUNDS). */
const MAX_ROUNDS = 6;

/** An engine failure; `damaged` when the index is (the engine's code -2). */
function failure(message, damaged) {
  const error = new Error(message);
  error.damaged = damaged;
  return error;
}

/**
 * The failure of fetching `url` answered with `status`. Index files are named by their
 * content, so one the host answers "not found" for was most likely removed by a new
 * publication of the site since the page loaded: `gone`, which the page answers with
 * "reload".
 */
function httpFailure(url, status) {
  const error = failure(`${url}: HTTP ${status}`, false);
  error.gone = status === 404 || status === 410;
  error.unreachable = !error.gone;
  return error;
}

/** `fetch(url, init)`, whose failure to get an answer at all is `unreachable`. */
async function fetchFrom(url, init) {
  try {
    return await fetch(url, init);
  } catch (cause) {
    const error = failure(`${url}: ${cause && cause.message ? cause.message : cause}`, false);
    error.unreachable = true;
    throw error;
  }
}

/** A piece's name, `<pack file>@<start>+<length>`, read: {name, pack, start, end}. */
function piece(name) {
  const [, pack, start, len] = /^(.+)@(\d+)\+(\d+)$/.exec(name) || [];
  if (!pack) throw failure(`${name} is not a piece of the search index`, false);
  return { name, pack, start: Number(start), end: Number(start) + Number(len) };
}

/** The bytes of a stored piece (zlib's format), inflated; a failure means damage. */
async function inflate(name, stored) {
  try {
    const stream = new Blob([stored]).stream().pipeThrough(new DecompressionStream("deflate"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (error) {
    throw failure(`the search index is damaged: ${name}: it does not decompress (${error.message}); rebuild the site`, true);
  }
}

/**
 * Instantiates the engine from its bytes (or its compiled module) and opens the index bundle, checked against the
 * hash in its file name `indexName` (e.g. "index.0123456789abcdef.bin"). `loadPiece(piece)`
 * resolves to the stored bytes of a piece of a pack beside the index (an index block or a
 * text chunk; `piece` is {name, pack, start, end}), or null when it cannot be had.
 * Failures throw an Error whose `damaged` says whether the index is damaged.
 */
export async function createEngine(engineBytes, indexBytes, loadPiece, indexName = "") {
  // Bytes give {module, instance}; a compiled module (the worker's second index) the instance.
  const made = await WebAssembly.instantiate(engineBytes, {});
  const wasm = (made.instance || made).exports;
  const copyIn = (bytes) => {
    const ptr = wasm.insyn_alloc(bytes.length);
    new Uint8Array(wasm.memory.buffer, ptr, bytes.length).set(bytes);
    return ptr;
  };
  const result = () =>
    decoder.decode(new Uint8Array(wasm.memory.buffer, wasm.insyn_result_ptr(), wasm.insyn_result_len()));
  // A trap (the engine aborts on a panic) is reported as damage: a failure to read the index.
  const call = (f) => {
    try {
      return f();
    } catch (error) {
      throw failure(`the search index could not be read (${error.message}); rebuild the site`, true);
    }
  };
  const index = new Uint8Array(indexBytes);
  const indexNameBytes = encoder.encode(indexName);
  const namePtr = copyIn(indexNameBytes);
  // insyn_open takes ownership of the copied index bytes.
  const opened = call(() => wasm.insyn_open(namePtr, indexNameBytes.length, copyIn(index), index.length));
  wasm.insyn_free(namePtr, indexNameBytes.length);
  if (opened !== 0) throw failure(result(), opened === -2);
  const ask = (request) => {
    const input = encoder.encode(JSON.stringify(request));
    const ptr = copyIn(input);
    const len = call(() => wasm.insyn_search(ptr, input.length));
    wasm.insyn_free(ptr, input.length);
    if (len < 0) throw failure(result(), false);
    return JSON.parse(result());
  };
  const addPiece = (name, bytes) => {
    const nameBytes = encoder.encode(name);
    const namePtr = copyIn(nameBytes);
    const ptr = copyIn(bytes);
    const code = call(() => wasm.insyn_add_piece(namePtr, nameBytes.length, ptr, bytes.length));
    wasm.insyn_free(namePtr, nameBytes.length);
    wasm.insyn_free(ptr, bytes.length);
    if (code !== 0) throw failure(result(), code === -2);
  };
  // Pieces being fetched, by name: concurrent searches share one download. A failed one is
  // forgotten, so that searching again (the network back) fetches it again.
  const pending = new Map();
  const ensure = (name) => {
    if (!pending.has(name)) {
      const load = async () => {
        const stored = loadPiece ? await loadPiece(piece(name)) : null;
        if (stored) addPiece(name, await inflate(name, new Uint8Array(stored)));
      };
      const loading = load();
      loading.catch(() => pending.get(name) === loading && pending.delete(name));
      pending.set(name, loading);
    }
    return pending.get(name);
  };
  const engine = {
    /** Rounds of downloads the last search waited for. */
    rounds: 0,
    /** Answers a request object ({q, filters, sort, limit, offset}) with a response object. */
    async search(request) {
      let response = ask(request);
      let rounds = 0;
      while (rounds + 1 < MAX_ROUNDS && loadPiece && response.missing && response.missing.length) {
        await Promise.all(response.missing.map(ensure));
        rounds += 1;
        response = ask(request);
      }
      engine.rounds = rounds;
      delete response.missing;
      return response;
    },
  };
  return engine;
}

async function fetchBytes(url) {
  const response = await fetchFrom(url);
  if (!response.ok) throw httpFailure(url, response.status);
  return response.arrayBuffer();
}

/**
 * Range requests a loader has in flight at most. A search can need thousands of pieces (a
 * phrase of common words at 100,000 audits, `"styrning av IT"`: 4,450 index blocks), and
 * Chromium fails requests past a few thousand outstanding ("Failed to fetch"); 32 is also
 * under what HTTP/2 hosts allow at once on one connection (commonly 100 streams), so none
 * waits there.
 */
const FETCHES = 32;

/**
 * Fetches pieces of the packs beside the index at `indexUrl`, each with a `Range` header
 * (sent with `Accept-Encoding: identity`, so what arrives is the stored bytes), past the
 * browser's cache: through it, requests for one URL wait for each other (Chromium: twenty
 * ranges of one pack took 230 ms one after another, 80 ms at once), and it keeps no range
 * answers anyway. The pieces asked for together (a search's round asks for all it misses at
 * once) go out as one request for each run of adjacent pieces of a pack (`runs`), at most
 * `FETCHES` at a time. A server that ignores ranges answers 200 with the whole pack: it is
 * kept (one download a pack, answers to other requests for it are cancelled) and sliced, and
 * later requests ask for their whole pack at once. A 206 that is not the range asked for is
 * damage.
 */
export function rangeLoader(indexUrl) {
  const wholes = new Map(); // pack URL → promise of its bytes, once a server sent it whole
  let ranges = true;
  const slot = limiter(FETCHES);
  let asked = null; // the pieces asked for since the last batch went out

  /** Bytes `start` to `end` of the pack at `url`; `name` (`<pack>@<start>+<length>`) for errors. */
  const load = async (url, name, start, end) => {
    if (ranges && !wholes.has(url)) {
      const response = await fetchFrom(url, { headers: { Range: `bytes=${start}-${end - 1}` }, cache: "no-store" });
      if (response.status === 206) return rangeOf(response, name, start, end);
      if (!response.ok) throw httpFailure(url, response.status);
      ranges = false;
      if (wholes.has(url)) response.body?.cancel();
      else wholes.set(url, response.arrayBuffer());
    }
    if (!wholes.has(url)) wholes.set(url, fetchBytes(url));
    const bytes = new Uint8Array(await wholes.get(url));
    if (bytes.length < end) throw failure(`the search index is damaged: ${name}: ${url} has ${bytes.length} bytes; rebuild the site`, true);
    return bytes.subarray(start, end);
  };

  const send = (pieces) => {
    for (const run of runs(pieces)) {
      const { pack, start } = run[0];
      const end = run[run.length - 1].end;
      const url = new URL(pack, indexUrl).href;
      slot(() => load(url, `${pack}@${start}+${end - start}`, start, end)).then(
        (bytes) => run.forEach((p) => p.resolve(bytes.subarray(p.start - start, p.end - start))),
        (error) => run.forEach((p) => p.reject(error)),
      );
    }
  };

  return (piece) =>
    new Promise((resolve, reject) => {
      if (!asked) {
        asked = [];
        // Pieces asked for in the same turn (the engine asks for a round's all at once).
        queueMicrotask(() => {
          const batch = asked;
          asked = null;
          send(batch);
        });
      }
      asked.push({ ...piece, resolve, reject });
    });
}

/** Pieces grouped into runs, each of adjacent pieces of one pack, to fetch with one range each. */
export function runs(pieces) {
  const sorted = [...pieces].sort((a, b) => (a.pack === b.pack ? a.start - b.start : a.pack < b.pack ? -1 : 1));
  const out = [];
  for (const piece of sorted) {
    const run = out[out.length - 1];
    if (run && run[0].pack === piece.pack && run[run.length - 1].end === piece.start) run.push(piece);
    else out.push([piece]);
  }
  return out;
}

/** A function that runs the tasks it is given (functions returning promises), `n` at most at a time. */
function limiter(n) {
  let running = 0;
  const queue = [];
  const next = () => {
    if (running >= n || queue.length === 0) return;
    running += 1;
    const { task, resolve, reject } = queue.shift();
    task()
      .then(resolve, reject)
      .finally(() => {
        running -= 1;
        next();
      });
  };
  return (task) =>
    new Promise((resolve, reject) => {
      queue.push({ task, resolve, reject });
      next();
    });
}

/** The body of a 206 answer to the request for bytes `start` to `end` of piece `name`. */
async function rangeOf(response, name, start, end) {
  const range = response.headers.get("Content-Range") || "";
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (!range.startsWith(`bytes ${start}-${end - 1}/`) || bytes.length !== end - start) {
    const got = `"${range}" (${bytes.length} bytes)`;
    throw failure(`the search index could not be read: ${name}: the server sent ${got} for bytes ${start}-${end - 1}`, true);
  }
  return bytes;
}

function errorMessage(id, error) {
  const message = String(error && error.message ? error.message : error);
  const flag = (name) => Boolean(error && error[name]);
  return { type: "error", id, message, damaged: flag("damaged"), gone: flag("gone"), unreachable: flag("unreachable") };
}

const inWorker = typeof self !== "undefined" && typeof self.postMessage === "function" && typeof window === "undefined";

if (inWorker) {
  let engineUrl = null;
  let compiled = null; // promise of the engine's WebAssembly.Module
  let first = null; // init's index URL
  // Index URL → promise of its engine. A failed one is forgotten, so that a search can try
  // again (the network back).
  const engines = new Map();
  const open = (index) => {
    if (!engines.has(index)) {
      if (!compiled) {
        compiled = fetchBytes(engineUrl).then((bytes) => WebAssembly.compile(bytes));
        compiled.catch(() => (compiled = null));
      }
      const indexUrl = new URL(index, self.location.href);
      const indexName = indexUrl.pathname.split("/").pop();
      const opening = Promise.all([compiled, fetchBytes(indexUrl)]).then(([module, bytes]) =>
        createEngine(module, bytes, rangeLoader(indexUrl), indexName),
      );
      opening.catch(() => engines.get(index) === opening && engines.delete(index));
      engines.set(index, opening);
    }
    return engines.get(index);
  };
  self.onmessage = async (event) => {
    const message = event.data;
    if (message.type === "init" && !first) {
      engineUrl = message.engine;
      first = message.index;
      try {
        await open(first);
        self.postMessage({ type: "ready" });
      } catch (error) {
        self.postMessage(errorMessage(undefined, error));
      }
    } else if (message.type === "search" && first) {
      let response;
      try {
        const engine = await open(message.index || first);
        response = await engine.search(message.request);
      } catch (error) {
        self.postMessage(errorMessage(message.id, error));
        return;
      }
      self.postMessage({ type: "result", id: message.id, response });
    }
  };
}
