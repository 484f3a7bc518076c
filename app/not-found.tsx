import { NotFoundPanel } from "./components/not-found-panel";

export default function NotFound() {
  return (
    <NotFoundPanel
      title="Page not found"
      message="There is nothing here for your account. If you followed a link to a subscription, sign in with the account that bought or uses it."
      link={{ href: "/account", label: "My subscriptions" }}
    />
  );
}
