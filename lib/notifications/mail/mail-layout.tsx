/**
 * The building blocks of every mail: one centred column of at most 600 px, a table layout and inline
 * styles (what mail programs render alike), the offer's logo and name on top, and a footer saying
 * why the recipient gets it and where to change their preferences. Rendered by ./markup.ts.
 */
import type { ReactNode } from "react";

const font = "-apple-system, 'Segoe UI', Roboto, 'Hiragino Sans', Meiryo, Arial, sans-serif";
const ink = "#1b1b1b";
const muted = "#55595f";
const brand = "#0b57a4";

export interface LayoutProps {
  locale: string;
  subject: string;
  /** The line mail programs show after the subject. */
  preheader: string;
  brandName: string;
  /** An absolute https URL, or none. */
  logoUrl?: string | null;
  children: ReactNode;
  footer: ReactNode;
}

export function MailLayout({ locale, subject, preheader, brandName, logoUrl, children, footer }: LayoutProps) {
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <title>{subject}</title>
      </head>
      <body style={{ margin: 0, padding: 0, backgroundColor: "#f3f4f6", fontFamily: font, color: ink }}>
        <div
          data-mail-only="html"
          style={{ display: "none", maxHeight: 0, overflow: "hidden", opacity: 0, color: "#f3f4f6" }}
        >
          {preheader}
        </div>
        <table role="presentation" width="100%" cellPadding={0} cellSpacing={0} style={{ backgroundColor: "#f3f4f6" }}>
          <tbody>
            <tr>
              <td align="center" style={{ padding: "24px 12px" }}>
                <table
                  role="presentation"
                  width="100%"
                  cellPadding={0}
                  cellSpacing={0}
                  style={{
                    maxWidth: "600px",
                    backgroundColor: "#ffffff",
                    borderRadius: 8,
                    border: "1px solid #e2e4e8",
                  }}
                >
                  <tbody>
                    <tr>
                      <td style={{ padding: "20px 28px", borderBottom: "1px solid #e2e4e8" }}>
                        {logoUrl ? (
                          <img
                            src={logoUrl}
                            alt=""
                            width={32}
                            height={32}
                            style={{ verticalAlign: "middle", marginRight: 10, border: 0 }}
                          />
                        ) : null}
                        <span style={{ fontSize: 17, fontWeight: 600, verticalAlign: "middle" }}>{brandName}</span>
                      </td>
                    </tr>
                    <tr>
                      <td style={{ padding: "24px 28px", fontSize: 15, lineHeight: 1.6 }}>{children}</td>
                    </tr>
                    <tr>
                      <td
                        style={{
                          padding: "16px 28px 24px",
                          borderTop: "1px solid #e2e4e8",
                          fontSize: 12,
                          lineHeight: 1.5,
                          color: muted,
                        }}
                      >
                        {footer}
                      </td>
                    </tr>
                  </tbody>
                </table>
              </td>
            </tr>
          </tbody>
        </table>
      </body>
    </html>
  );
}

export function Heading({ children }: { children: ReactNode }) {
  return <h1 style={{ fontSize: 21, lineHeight: 1.3, margin: "0 0 16px", fontWeight: 600 }}>{children}</h1>;
}

export function Paragraph({ children, muted: isMuted }: { children: ReactNode; muted?: boolean }) {
  return <p style={{ margin: "0 0 14px", color: isMuted ? muted : ink }}>{children}</p>;
}

/** The one thing to do, as a button; in the text part its label and URL on lines of their own. */
export function Button({ href, children }: { href: string; children: ReactNode }) {
  return (
    <p style={{ margin: "20px 0" }}>
      <a
        href={href}
        data-mail-block
        style={{
          display: "inline-block",
          backgroundColor: brand,
          color: "#ffffff",
          textDecoration: "none",
          fontWeight: 600,
          padding: "10px 20px",
          borderRadius: 6,
        }}
      >
        {children}
      </a>
    </p>
  );
}

/** Label and value pairs (subscription, plan, seats…). */
export function Facts({ rows }: { rows: Array<[string, ReactNode]> }) {
  if (rows.length === 0) return null;
  return (
    <table
      role="presentation"
      cellPadding={0}
      cellSpacing={0}
      style={{ margin: "8px 0 16px", fontSize: 14, borderCollapse: "collapse" }}
    >
      <tbody>
        {rows.map(([label, value]) => (
          <tr key={label}>
            <th align="left" style={{ padding: "3px 16px 3px 0", color: muted, fontWeight: 400, verticalAlign: "top" }}>
              {label}
            </th>
            <td style={{ padding: "3px 0", verticalAlign: "top" }}>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function FooterLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <a href={href} style={{ color: muted }}>
      {children}
    </a>
  );
}
