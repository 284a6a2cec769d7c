/**
 * Cuts a text to at most `maxChars` characters, keeping its head and its tail (where compilers
 * and test runners put the part that matters) and saying how much was left out and how to get it.
 */
export function capText(text: string, maxChars: number, hint = ""): { text: string; cut: boolean } {
  if (text.length <= maxChars) return { text, cut: false };
  const note = (omitted: number) =>
    `\n\n[... ${omitted} characters omitted: the output was longer than ${maxChars} characters.${hint ? ` ${hint}` : ""} ...]\n\n`;
  const budget = Math.max(0, maxChars - note(text.length).length);
  const head = Math.floor(budget * 0.4);
  const tail = budget - head;
  const omitted = text.length - head - tail;
  return { text: text.slice(0, head) + note(omitted) + text.slice(text.length - tail), cut: true };
}

/** The last `maxChars` characters of a text (verification output, where the end says why). */
export function tailText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  return `[... ${text.length - maxChars} characters omitted ...]\n${text.slice(text.length - maxChars)}`;
}
