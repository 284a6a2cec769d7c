/** Hidden in every comment fixfleet writes, so the next run finds and edits it instead of adding one. */
export const COMMENT_MARKER = "<!-- fixfleet:fix-comment -->";

export function hasCommentMarker(body: string | null | undefined): boolean {
  return typeof body === "string" && body.includes(COMMENT_MARKER);
}
