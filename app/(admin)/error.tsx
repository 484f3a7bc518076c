"use client";

import { RouteError } from "@/app/components/route-error";

export default function AdminError({ error, retry }: { error: unknown; retry: () => void }) {
  return <RouteError error={error} retry={retry} back={{ href: "/admin", label: "Console home" }} />;
}
