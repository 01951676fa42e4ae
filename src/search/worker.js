// Insyn's search engine in the browser: the WebAssembly engine and the index bundle, run in a
// Web Worker so typing never waits for a search. Also an ES module exporting
// `createEngine`, so Node tests drive exactly this code.
//
// Most of the index and all the passages' texts sit beside the index bundle, in small files
// that a search fetches as it needs them (each once): the blocks of the postings its terms
// lie in, then the text chunks its hits are in.
//
// Messages in:  {type: "init", engine: url, index: url}
//               {type: "search", id, request}
// Messages out: {type: "ready"} | {type: "error", id?, message, damaged}
//               {type: "result", id, response}
// `damaged`: a file of the index failed its checksum or could not be read (rebuild the site).

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
 * Instantiates the engine from its bytes and opens the index bundle, checked against the
 * hash in its file name `indexName` (e.g. "index.0123456789abcdef.bin"). `loadFile(name)`
 * resolves to the bytes of a file beside the index (an index block or a text chunk).
 * Failures throw an Error whose `damaged` says whether the index is damaged.
 */
export async function createEngine(engineBytes, indexBytes, loadFile, indexName = "") {
  const { instance } = await WebAssembly.instantiate(engineBytes, {});
  const wasm = instance.exports;
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
  const addFile = (name, fileBytes) => {
    const nameBytes = encoder.encode(name);
    const bytes = new Uint8Array(fileBytes);
    const namePtr = copyIn(nameBytes);
    const ptr = copyIn(bytes);
    const code = call(() => wasm.insyn_add_file(namePtr, nameBytes.length, ptr, bytes.length));
    wasm.insyn_free(namePtr, nameBytes.length);
    wasm.insyn_free(ptr, bytes.length);
    if (code !== 0) throw failure(result(), code === -2);
  };
  // Files being fetched, by name: concurrent searches share one download.
  const pending = new Map();
  const ensure = (name) => {
    if (!pending.has(name)) {
      pending.set(
        name,
        Promise.resolve(loadFile ? loadFile(name) : null).then((bytes) => {
          if (bytes) addFile(name, bytes);
        }),
      );
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
      while (rounds + 1 < MAX_ROUNDS && loadFile && response.missing && response.missing.length) {
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
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.arrayBuffer();
}

function errorMessage(id, error) {
  const message = String(error && error.message ? error.message : error);
  return { type: "error", id, message, damaged: Boolean(error && error.damaged) };
}

const inWorker = typeof self !== "undefined" && typeof self.postMessage === "function" && typeof window === "undefined";

if (inWorker) {
  let engine = null;
  self.onmessage = async (event) => {
    const message = event.data;
    if (message.type === "init" && !engine) {
      try {
        const indexUrl = new URL(message.index, self.location.href);
        const [engineBytes, indexBytes] = await Promise.all([fetchBytes(message.engine), fetchBytes(indexUrl)]);
        const indexName = indexUrl.pathname.split("/").pop();
        engine = await createEngine(engineBytes, indexBytes, (name) => fetchBytes(new URL(name, indexUrl)), indexName);
        self.postMessage({ type: "ready" });
      } catch (error) {
        self.postMessage(errorMessage(undefined, error));
      }
    } else if (message.type === "search" && engine) {
      let response;
      try {
        response = await engine.search(message.request);
      } catch (error) {
        self.postMessage(errorMessage(message.id, error));
        return;
      }
      self.postMessage({ type: "result", id: message.id, response });
    }
  };
}
