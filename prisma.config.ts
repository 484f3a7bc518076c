// Prisma 7 reads the connection from here for CLI commands. Our own scripts (scripts/db-migrate.ts)
// use Prisma's WebAssembly schema engine instead, because the native engine cannot be downloaded
// on machines without internet access.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/postgres" },
});
