// Node only: a Transform stream over Transformer.feed()/flush(). Buffers in (a file's bytes,
// a socket's), UTF-8 NDJSON Buffers out, no JS string made on the way: what the CLI writes
// for the same bytes.
'use strict';
const { Transform } = require('node:stream');
const { Transformer } = require('./node/nps_enrich_wasm.js');

/** A stream.Transform: the same options as `new Transformer(options)` (throws as it does). */
function createTransform(options) {
  const t = new Transformer(options);
  let freed = false;
  const free = () => {
    if (!freed) { freed = true; t.free(); }
  };
  const push = (stream, bytes) => {
    if (bytes.length > 0) stream.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
  };
  return new Transform({
    transform(chunk, encoding, done) {
      try {
        push(this, t.feed(typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk));
      } catch (e) {
        return done(e);
      }
      done();
    },
    flush(done) {
      try {
        push(this, t.flush());
        free();
      } catch (e) {
        return done(e);
      }
      done();
    },
    destroy(err, done) {
      // The wasm memory goes back to the module once, whichever way the stream ends.
      free();
      done(err);
    },
  });
}

module.exports = { createTransform };
