import { describe, expect, it } from "vitest";
import { escapeHtml, renderHtml, renderText } from "./markup";

function Greeting({ name }: { name: string }) {
  return (
    <p style={{ fontSize: 16, margin: 0, lineHeight: 1.5 }} className="greeting">
      Hello {name}, <strong>welcome</strong>.
    </p>
  );
}

describe("renderHtml", () => {
  it("renders host elements, components, fragments and inline styles", () => {
    expect(
      renderHtml(
        <div>
          <Greeting name="Alice" />
          <>
            <br />
            <a href="https://portal.example/a?b=1&c=2">Open</a>
          </>
        </div>,
      ),
    ).toBe(
      '<div><p style="font-size:16px;margin:0;line-height:1.5" class="greeting">Hello Alice, <strong>welcome</strong>.</p><br><a href="https://portal.example/a?b=1&#38;c=2">Open</a></div>',
    );
  });

  it("escapes text and attribute values, so a name cannot become markup", () => {
    const name = `<script>alert("x")</script> & 'co'`;
    const out = renderHtml(<p title={name}>{name}</p>);
    expect(out).not.toContain("<script>");
    expect(out).toBe(
      `<p title="${escapeHtml(name)}">&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; &#39;co&#39;</p>`,
    );
  });

  it("puts the doctype before an html element", () => {
    expect(
      renderHtml(
        <html lang="ja">
          <body>x</body>
        </html>,
      ),
    ).toBe('<!doctype html><html lang="ja"><body>x</body></html>');
  });

  it("refuses raw HTML, event handlers and links that are not http(s) or mailto", () => {
    expect(() => renderHtml(<div dangerouslySetInnerHTML={{ __html: "<b>x</b>" }} />)).toThrow(/not supported/);
    expect(() => renderHtml(<button onClick={() => undefined}>x</button>)).toThrow(/onClick is not supported/);
    expect(() => renderHtml(<a href="javascript:alert(1)">x</a>)).toThrow(/href must be an http\(s\) or mailto URL/);
    expect(renderHtml(<a href="mailto:help@contoso.example">help</a>)).toBe(
      '<a href="mailto:help@contoso.example">help</a>',
    );
  });

  it("leaves out what is marked for the text part only, and the mail-only attributes", () => {
    expect(
      renderHtml(
        <div>
          <span data-mail-only="text">text only</span>
          <a href="https://x.example" data-mail-block>
            Go
          </a>
        </div>,
      ),
    ).toBe('<div><a href="https://x.example">Go</a></div>');
  });
});

describe("renderText", () => {
  it("turns blocks into paragraphs, links into label (url), and drops images and head", () => {
    const text = renderText(
      <html>
        <head>
          <title>Subject</title>
        </head>
        <body>
          <img src="https://x.example/logo.png" alt="Logo" />
          <h1>Your subscription is active</h1>
          <p>
            Open it from <a href="https://portal.example/account">your account</a>.
          </p>
          <a href="https://portal.example/setup" data-mail-block>
            Set up your account
          </a>
          <table>
            <tbody>
              <tr>
                <th>Plan</th>
                <td>Professional</td>
              </tr>
              <tr>
                <th>Seats</th>
                <td>10</td>
              </tr>
            </tbody>
          </table>
          <span data-mail-only="html">preheader</span>
          <ul>
            <li>one</li>
            <li>two</li>
          </ul>
        </body>
      </html>,
    );
    expect(text).toBe(
      [
        "Your subscription is active",
        "",
        "Open it from your account (https://portal.example/account).",
        "",
        "Set up your account:",
        "https://portal.example/setup",
        "",
        "Plan: Professional",
        "Seats: 10",
        "",
        "- one",
        "- two",
      ].join("\n"),
    );
  });

  it("keeps text as text: nothing is escaped in the plain part", () => {
    expect(renderText(<p>Fabrikam & Co &lt;EU&gt;</p>)).toBe("Fabrikam & Co <EU>");
  });
});
