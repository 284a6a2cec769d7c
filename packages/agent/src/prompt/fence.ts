/** A Markdown code fence longer than any backtick run inside, so log text cannot close it. */
export function fence(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const f = "`".repeat(longest + 1);
  return `${f}\n${text.replace(/\n$/, "")}\n${f}`;
}
