import "server-only";
import { z } from "zod";
import type { Prisma } from "../generated/prisma/client";
import { db } from "../db";
import { countJobs, listJobs, WAITING_STATES } from "../jobs/job-store";
import { fetchPage, single } from "./paging";
import { queryText } from "./query-text";

export const operationQuerySchema = z.object({
  id: queryText("Operation id", 100),
  status: z.preprocess(
    single,
    z.enum(["Requested", "NotStarted", "InProgress", "Succeeded", "Failed", "Conflict"]).optional().catch(undefined),
  ),
  jobs: z.preprocess(single, z.enum(["failed", "waiting", "active"]).optional().catch(undefined)),
  page: z.preprocess(single, z.coerce.number().int().min(1).max(1000).catch(1).default(1)),
});
export type OperationQuery = z.infer<typeof operationQuerySchema>;
const PAGE = 50;

/** Operations (ours and Microsoft's), newest first, and the background jobs an operator may need to retry. */
export async function listOperations(query: OperationQuery) {
  const where: Prisma.OperationWhereInput = {
    ...(query.id ? { OR: [{ id: query.id }, { marketplaceOperationId: query.id }] } : {}),
    ...(query.status ? { status: query.status } : {}),
  };
  const [page, jobs, jobCounts] = await Promise.all([
    fetchPage({
      page: query.page,
      size: PAGE,
      count: () => db().operation.count({ where }),
      rows: (skip) =>
        db().operation.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], skip, take: PAGE }),
    }),
    listJobs({ states: query.jobs === "waiting" ? WAITING_STATES : [query.jobs ?? "failed"], limit: 50 }),
    countJobs(),
  ]);
  return { ...page, jobs, jobCounts };
}
