import { randomBytes } from "node:crypto";

const ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

function base58(length: number): string {
  const bytes = randomBytes(length);
  let out = "";
  for (const byte of bytes) out += ALPHABET[byte % ALPHABET.length];
  return out;
}

/** Identifiers shaped like the API's (`req_011C…`, `msg_01…`, `toolu_01…`). */
export const newRequestId = (): string => `req_011C${base58(20)}`;
export const newMessageId = (): string => `msg_01${base58(22)}`;
export const newToolUseId = (): string => `toolu_01${base58(22)}`;
export const newApiKey = (): string => `sk-ant-api03-fake-${base58(40)}`;
