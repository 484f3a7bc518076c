import { NotFoundPanel } from "@/app/components/not-found-panel";

/** A subscription this account may not see looks exactly like one that does not exist. */
export default function AccountNotFound() {
  return (
    <NotFoundPanel
      message="Nothing here is shared with the account you are signed in with. If you followed a link to a subscription, sign in with the account that bought or uses it, or ask the person who manages it to invite you."
      link={{ href: "/account", label: "My subscriptions" }}
    />
  );
}
