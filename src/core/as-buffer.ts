/** Bytes as a Buffer without copying them (undici hands out Buffers; anything else is viewed, not copied). */
export function asBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}
