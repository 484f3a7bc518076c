import "server-only";

/** A query-string value as one string: the first of repeated parameters. */
export const single = (value: unknown): unknown => (Array.isArray(value) ? value[0] : value);

/**
 * One page of a console list. The count and the requested page are read together; a page past the
 * end shows the last page instead (a stale or edited link still lands somewhere useful), at the cost
 * of a second read only in that case.
 */
export async function fetchPage<T>(options: {
  page: number;
  size: number;
  maxPage?: number;
  count: () => Promise<number>;
  rows: (skip: number) => Promise<T[]>;
}) {
  const [total, requested] = await Promise.all([options.count(), options.rows((options.page - 1) * options.size)]);
  const lastPage = Math.max(1, Math.min(options.maxPage ?? Number.MAX_SAFE_INTEGER, Math.ceil(total / options.size)));
  const page = Math.min(options.page, lastPage);
  const rows = page === options.page ? requested : await options.rows((page - 1) * options.size);
  return { rows, total, page, lastPage };
}
