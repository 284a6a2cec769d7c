/** Where a command reads and writes, passed in so tests can capture it. */
export interface CommandIo {
  stdin: NodeJS.ReadableStream;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}
