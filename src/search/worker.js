// Insyn's search engine in the browser: the WebAssembly engine and the index bundle, run in a
// Web Worker so typing never waits for a search. Also an ES module exporting
// `createEngine`, so Node tests drive exactly this code.
//
// Messages in:  {type: "init", engine: url, index: url}
//               {type: "search", id, request}
// Messages out: {type: "ready", docs} | {type: "error", message}
//               {type: "result", id, response}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Instantiates the engine from its bytes and opens the index bundle. */
export async function createEngine(engineBytes, indexBytes) {
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
  return {
    /** Answers a request object ({q, filters, sort, limit, offset}) with a response object. */
    search(request) {
      const input = encoder.encode(JSON.stringify(request));
      const ptr = copyIn(input);
      const len = wasm.insyn_search(ptr, input.length);
      wasm.insyn_free(ptr, input.length);
      if (len < 0) throw new Error(result());
      return JSON.parse(result());
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
        const [engineBytes, indexBytes] = await Promise.all([fetchBytes(message.engine), fetchBytes(message.index)]);
        engine = await createEngine(engineBytes, indexBytes);
        self.postMessage({ type: "ready" });
      } catch (error) {
        self.postMessage({ type: "error", message: String(error && error.message ? error.message : error) });
      }
    } else if (message.type === "search" && engine) {
      let response;
      try {
        response = engine.search(message.request);
      } catch (error) {
        self.postMessage({ type: "error", message: String(error) });
        return;
      }
      self.postMessage({ type: "result", id: message.id, response });
    }
  };
}
