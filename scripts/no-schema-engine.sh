#!/bin/sh
# Placeholder for Prisma's native schema engine, which cannot be downloaded offline.
# `prisma generate` only needs the path to exist; migrations go through scripts/db-migrate.ts.
echo "The native Prisma schema engine is not installed here. Use: npm run db:migrate (WebAssembly engine)." >&2
exit 1
