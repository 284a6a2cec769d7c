import { bash, editor, type FakeAnthropic, type RecordedRequest, text } from "@fixfleet/testkit";

/**
 * The model's side of `sum` fixes for many conversations at once. The fake plays one FIFO of
 * turns for all requests, so each turn is a function that answers by the conversation's own
 * position (1, 3, 5, 7 messages): concurrent fixes never get each other's turns.
 */
export function scriptSumFixes(ai: FakeAnthropic, conversations: number): void {
  const turn = (request: RecordedRequest) => {
    const n = request.messages.length;
    if (n <= 1) return [text("Let me read the function under test."), editor.view("/workspace/src/sum.js")];
    if (n <= 3) return [editor.strReplace("/workspace/src/sum.js", "return a - b;", "return a + b;")];
    if (n <= 5) return [bash.command("cd /workspace && npm test")];
    return [text("Fixed: `sum` subtracted instead of adding; `npm test` passes now.")];
  };
  ai.script(...Array.from({ length: conversations * 4 }, () => turn));
}

const REPOSITORY_LINE = /Repository: (\S+)/;

/** The repository a model request is about (the failure prompt names it in the first message). */
export function repositoryOf(request: RecordedRequest): string | undefined {
  const first = request.messages[0]?.content;
  const textOf = typeof first === "string" ? first : JSON.stringify(first ?? "");
  return REPOSITORY_LINE.exec(textOf)?.[1]?.replace(/\\n.*$/, "");
}
