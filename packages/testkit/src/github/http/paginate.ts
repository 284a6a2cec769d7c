import type { RouteContext } from "./router.js";

/**
 * Slices a list by `per_page` (default 30, at most 100) and `page` and builds the `Link`
 * header GitHub sends (`next`, `last`, `first`, `prev`), which `octokit.paginate` follows.
 */
export function paginate<T>(ctx: RouteContext, items: T[]): { page: T[]; headers: Record<string, string> } {
  const perPage = clamp(Number.parseInt(ctx.query.per_page ?? "30", 10) || 30, 1, 100);
  const pageNumber = Math.max(1, Number.parseInt(ctx.query.page ?? "1", 10) || 1);
  const lastPage = Math.max(1, Math.ceil(items.length / perPage));
  const page = items.slice((pageNumber - 1) * perPage, pageNumber * perPage);
  const link = (n: number, rel: string) => {
    const url = new URL(ctx.url.pathname + ctx.url.search, ctx.state.baseUrl);
    url.searchParams.set("per_page", String(perPage));
    url.searchParams.set("page", String(n));
    return `<${url.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (pageNumber > 1) links.push(link(pageNumber - 1, "prev"));
  if (pageNumber < lastPage) links.push(link(pageNumber + 1, "next"), link(lastPage, "last"));
  if (pageNumber > 1) links.push(link(1, "first"));
  return { page, headers: links.length > 0 ? { link: links.join(", ") } : {} };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
