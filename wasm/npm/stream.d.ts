import type { Transform } from 'node:stream';
import type { TransformOptions } from './node/nps_enrich_wasm';

/**
 * A Node Transform stream: Buffers of UTF-8 log text in, Buffers of NDJSON out (one document
 * and `\n` per non-blank line), byte for byte what the CLI writes for the same bytes. No JS
 * string is made. Throws as `new Transformer(options)` does.
 */
export function createTransform(options?: TransformOptions | null): Transform;
