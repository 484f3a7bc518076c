import { notFound } from "next/navigation";

// An address in this part of the site that names no page gets this group's own not-found page
// (the root one serves only addresses outside every group).
export default function MissingPage() {
  notFound();
}
