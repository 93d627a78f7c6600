import { describe, expect, it } from 'vitest';
import { Utf8Decoder } from './utf8-decoder.js';

describe('Utf8Decoder', () => {
  it('joins a character split across chunks, at every split point', () => {
    const bytes = Buffer.from('a€b😀c');
    for (let cut = 0; cut <= bytes.length; cut += 1) {
      const decoder = new Utf8Decoder();
      const text = decoder.write(bytes.subarray(0, cut)) + decoder.write(bytes.subarray(cut)) + decoder.end();
      expect(text).toBe('a€b😀c');
    }
  });

  it('drops a leading byte order mark only, as TextDecoder does', () => {
    const decoder = new Utf8Decoder();
    const bom = Buffer.from([0xef, 0xbb]);
    expect(decoder.write(bom)).toBe('');
    expect(decoder.write(Buffer.from([0xbf, 0x61, 0xef, 0xbb, 0xbf]))).toBe('a\ufeff');
    expect(decoder.end()).toBe('');
  });

  it('ends an incomplete character as U+FFFD', () => {
    const decoder = new Utf8Decoder();
    expect(decoder.write(Buffer.from([0x61, 0xe2, 0x82]))).toBe('a');
    expect(decoder.end()).toBe('\ufffd');
  });
});
