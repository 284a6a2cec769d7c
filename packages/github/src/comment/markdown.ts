/** A code fence longer than any backtick run inside the text, so the text cannot close it. */
export function fence(text: string, lang = ""): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = "`".repeat(longest + 1);
  return `${ticks}${lang}\n${text.replace(/\n$/, "")}\n${ticks}`;
}

/** Inline code that survives backticks in the text. */
export function code(text: string): string {
  const single = text.replace(/\n/g, " ");
  if (!single.includes("`")) return `\`${single}\``;
  return `\`\` ${single} \`\``;
}

/** Escapes text for a Markdown table cell or a line of prose. */
export function plain(text: string): string {
  return text.replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`);
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return s % 60 === 0 ? `${m} min` : `${m} min ${s % 60} s`;
}

export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}
