"use client";

import { RouteError } from "@/app/components/route-error";

export default function LandingError({ error, retry }: { error: unknown; retry: () => void }) {
  return <RouteError error={error} retry={retry} />;
}
