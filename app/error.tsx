"use client";

import { RouteError } from "./components/route-error";

/** Any page without an error boundary of its own, and a failing group layout (e.g. the session check). */
export default function RootError({ error, retry }: { error: unknown; retry: () => void }) {
  return <RouteError error={error} retry={retry} />;
}
