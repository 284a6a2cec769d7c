/** A stretch of the log around one or more failure lines. */
export interface FailureWindow {
  /** 1-based numbers of the first and last line, counted over the log's visible lines. */
  startLine: number;
  endLine: number;
  /** The step (`##[group]Run ...`) the window sits in, when the log says. */
  step: string | undefined;
  tools: string[];
  weight: number;
  lines: string[];
  /** Indexes into `lines` of the lines that matched a failure shape. */
  matched: number[];
}

export interface LogExcerpt {
  windows: FailureWindow[];
  /** The log's last lines (those not already inside a window are rendered). */
  tail: { startLine: number; lines: string[] };
  /** The strongest failure lines, for a summary (the PR comment's "key lines"). */
  keyLines: string[];
  stats: {
    bytes: number;
    lines: number;
    failureLines: number;
    windowsFound: number;
    windowsDropped: number;
    linesTruncated: number;
  };
}
