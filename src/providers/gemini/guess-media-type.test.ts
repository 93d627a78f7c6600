import { describe, expect, it } from 'vitest';
import { guessMediaType } from './guess-media-type.js';

describe('guessMediaType', () => {
  it.each([
    ['https://upload.wikimedia.org/x/Www.wikipedia_screenshot_%282021%29.png', 'image/jpeg', 'image/png'],
    ['https://example.com/a.JPG?size=2', 'image/jpeg', 'image/jpeg'],
    ['https://example.com/paper.pdf#page=2', 'image/jpeg', 'application/pdf'],
    ['https://example.com/photo', 'image/jpeg', 'image/jpeg'],
    ['https://example.com/report', 'application/pdf', 'application/pdf'],
    ['https://youtu.be/lCdaVNyHtjU', 'image/jpeg', 'video/mp4'],
    ['gs://bucket/clip.mov', 'image/jpeg', 'video/quicktime'],
  ])('%s', (url, fallback, expected) => {
    expect(guessMediaType(url, fallback)).toBe(expected);
  });
});
