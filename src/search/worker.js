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
// Messages out: {type: "ready"} | {type: "error", message}
//               {type: "result", id, response}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Rounds of fetching a search goes through at most (the engine's MAX_ROUNDS). */
const MAX_ROUNDS = 6;

/**
 * Instantiates the engine from its bytes and opens the index bundle. `loadFile(name)`
 * resolves to the bytes of a file beside the index (an index block or a text chunk).
 */
export async function createEngine(engineBytes, indexBytes, loadFile) {
  const { instance } = await WebAssembly.instantiate(engineBytes, {});
  const wasm = instance.exports;
  const copyIn = (bytes) => {
    const ptr = wasm.insyn_alloc(bytes.length);
    new Uint8Array(wasm.memory.buffer, ptr, bytes.length).set(bytes);
    return ptr;
  };
  const result = () =>
    decoder.decode(new Uint8Array(wasm.memory.buffer, wasm.insyn_result_ptr(), wasm.insyn_result_len()));
  const index = new Uint8Array(indexBytes);
  // insyn_open takes ownership of the copied bytes.
  if (wasm.insyn_open(copyIn(index), index.length) !== 0) {
    throw new Error(result());
  }
  const ask = (request) => {
    const input = encoder.encode(JSON.stringify(request));
    const ptr = copyIn(input);
    const len = wasm.insyn_search(ptr, input.length);
    wasm.insyn_free(ptr, input.length);
    if (len < 0) throw new Error(result());
    return JSON.parse(result());
  };
  const addFile = (name, fileBytes) => {
    const nameBytes = encoder.encode(name);
    const bytes = new Uint8Array(fileBytes);
    const namePtr = copyIn(nameBytes);
    const ptr = copyIn(bytes);
    const code = wasm.insyn_add_file(namePtr, nameBytes.length, ptr, bytes.length);
    wasm.insyn_free(namePtr, nameBytes.length);
    wasm.insyn_free(ptr, bytes.length);
    if (code !== 0) throw new Error(result());
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

const inWorker = typeof self !== "undefined" && typeof self.postMessage === "function" && typeof window === "undefined";

if (inWorker) {
  let engine = null;
  self.onmessage = async (event) => {
    const message = event.data;
    if (message.type === "init" && !engine) {
      try {
        const indexUrl = new URL(message.index, self.location.href);
        const [engineBytes, indexBytes] = await Promise.all([fetchBytes(message.engine), fetchBytes(indexUrl)]);
        engine = await createEngine(engineBytes, indexBytes, (name) => fetchBytes(new URL(name, indexUrl)));
        self.postMessage({ type: "ready" });
      } catch (error) {
        self.postMessage({ type: "error", message: String(error && error.message ? error.message : error) });
      }
    } else if (message.type === "search" && engine) {
      let response;
      try {
        response = await engine.search(message.request);
      } catch (error) {
        self.postMessage({ type: "error", message: String(error) });
        return;
      }
      self.postMessage({ type: "result", id: message.id, response });
    }
  };
}
