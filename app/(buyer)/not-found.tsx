import { NotFoundPanel } from "@/app/components/not-found-panel";

export default function LandingNotFound() {
  return (
    <NotFoundPanel
      message="To set up a purchase, open it from the marketplace: in the Azure portal or the Microsoft 365 admin center, open your SaaS subscription and choose “Configure account”. Subscriptions you have already set up are under My subscriptions."
      link={{ href: "/account", label: "My subscriptions" }}
    />
  );
}
