/**
 * Gemini's `fileData` needs a mimeType, which a bare URL does not carry: guess it from the extension.
 */
const BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
  heif: 'image/heif',
  pdf: 'application/pdf',
  txt: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  html: 'text/html',
  json: 'application/json',
  mp3: 'audio/mp3',
  wav: 'audio/wav',
  ogg: 'audio/ogg',
  flac: 'audio/flac',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  webm: 'video/webm',
};

export function guessMediaType(url: string, fallback: string): string {
  if (/^https?:\/\/(www\.)?(youtube\.com|youtu\.be)\//i.test(url)) return 'video/mp4';
  let path = url;
  try {
    path = new URL(url).pathname;
  } catch {
    // Not an absolute URL (e.g. a Files API name): use the text as it is.
  }
  const extension = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  return (extension && BY_EXTENSION[extension]) || fallback;
}
