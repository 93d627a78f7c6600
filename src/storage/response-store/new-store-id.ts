import { randomBytes } from 'node:crypto';

/** `conv_…` ids in OpenAI's shape. */
export function newConversationId(): string {
  return `conv_${randomBytes(24).toString('hex')}`;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
