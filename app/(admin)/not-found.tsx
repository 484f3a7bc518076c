import { NotFoundPanel } from "@/app/components/not-found-panel";

/**
 * Inside the console's layout, so only admins see it: everyone else is refused by the layout
 * itself and gets the root not-found page, which says nothing about the console.
 */
export default function AdminNotFound() {
  return (
    <NotFoundPanel
      message="Nothing in the console has this address: the record may not exist, or the link is incomplete."
      link={{ href: "/admin", label: "Console home" }}
    />
  );
}
