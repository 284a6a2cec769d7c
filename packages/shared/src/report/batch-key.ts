/**
 * Reports of one repository and head commit belong to one fix (CONTRACT.md §5). Repository
 * names are case-insensitive on GitHub, so the key is lower-cased.
 */
export function batchKey(repositoryFullName: string, sha: string): string {
  return `${repositoryFullName.toLowerCase()}@${sha.toLowerCase()}`;
}

/**
 * A BullMQ job id for a key: job ids may not contain ":" nor be all digits, so anything
 * outside a safe alphabet is encoded.
 */
export function jobIdFor(prefix: string, key: string): string {
  const safe = key.replace(/[^A-Za-z0-9._@/-]/g, (c) => `~${c.charCodeAt(0).toString(16)}~`);
  return `${prefix}-${safe}`;
}
