// Insyn's search engine in the browser: the WebAssembly engine and the index bundle, run in a
// Web Worker so typing never waits for a search. Also an ES module exporting
// `createEngine`, so Node tests drive exactly this code.
//
// The passages' texts are not in the index: they sit beside it in small text chunks, and a
// search fetches only the chunks its hits are in (each once).
//
// Messages in:  {type: "init", engine: url, index: url}
//               {type: "search", id, request}
// Messages out: {type: "ready"} | {type: "error", message}
//               {type: "result", id, response}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Instantiates the engine from its bytes and opens the index bundle. `loadChunk(name)`
 * resolves to the bytes of a text chunk (a file beside the index).
 */
export async function createEngine(engineBytes, indexBytes, loadChunk) {
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
  const addChunk = (name, chunkBytes) => {
    const nameBytes = encoder.encode(name);
    const bytes = new Uint8Array(chunkBytes);
    const namePtr = copyIn(nameBytes);
    const ptr = copyIn(bytes);
    const code = wasm.insyn_add_chunk(namePtr, nameBytes.length, ptr, bytes.length);
    wasm.insyn_free(namePtr, nameBytes.length);
    wasm.insyn_free(ptr, bytes.length);
    if (code !== 0) throw new Error(result());
  };
  // Chunks being fetched, by name: concurrent searches share one download.
  const pending = new Map();
  const ensure = (name) => {
    if (!pending.has(name)) {
      pending.set(
        name,
        Promise.resolve(loadChunk ? loadChunk(name) : null).then((bytes) => {
          if (bytes) addChunk(name, bytes);
        }),
      );
    }
    return pending.get(name);
  };
  return {
    /** Answers a request object ({q, filters, sort, limit, offset}) with a response object. */
    async search(request) {
      let response = ask(request);
      if (response.missing && response.missing.length && loadChunk) {
        await Promise.all(response.missing.map(ensure));
        response = ask(request);
      }
      delete response.missing;
      return response;
    },
  };
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
