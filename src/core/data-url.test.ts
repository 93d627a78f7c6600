import { describe, expect, it } from 'vitest';
import { parseDataUrl, toDataUrl } from './data-url.js';

describe('parseDataUrl', () => {
  it('splits a base64 data URL, also with parameters before base64', () => {
    expect(parseDataUrl('data:image/png;base64,iVBORw0KGgo=')).toEqual({
      mediaType: 'image/png',
      data: 'iVBORw0KGgo=',
    });
    expect(parseDataUrl('data:text/plain;charset=utf-8;base64,aGk=')).toEqual({
      mediaType: 'text/plain',
      data: 'aGk=',
    });
  });
  it('ignores other URLs and non-base64 data URLs', () => {
    expect(parseDataUrl('https://example.com/a.png')).toBeUndefined();
    expect(parseDataUrl('data:text/plain,hello')).toBeUndefined();
  });
  it('round-trips with toDataUrl', () => {
    expect(parseDataUrl(toDataUrl('application/pdf', 'JVBERi0='))).toEqual({
      mediaType: 'application/pdf',
      data: 'JVBERi0=',
    });
  });
});
