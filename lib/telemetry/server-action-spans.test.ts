/**
 * Every server action has a span named after it (README "OpenTelemetry"): Next.js 16 does not
 * trace server actions, so each must run inside runBuyerAction, runAdminAction or
 * withServerActionSpan. This reads the source of every module under app/ with the TypeScript
 * parser: each exported function of a `"use server"` file and each function with its own
 * `"use server"` directive must call one of them with a name — directly, or through a function of
 * the same file that does (e.g. a helper shared by a page's actions).
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/** The wrappers that open the span, and the argument that names it. */
const WRAPPERS: Record<string, (call: ts.CallExpression) => boolean> = {
  withServerActionSpan: (call) => isName(call.arguments[0]),
  runBuyerAction: (call) => isName(call.arguments[0]),
  // runAdminAction(formData, work, { action: "…" })
  runAdminAction: (call) => {
    const options = call.arguments[2];
    return (
      options !== undefined &&
      ts.isObjectLiteralExpression(options) &&
      options.properties.some(
        (property) =>
          (ts.isPropertyAssignment(property) && property.name.getText() === "action" && isName(property.initializer)) ||
          (ts.isShorthandPropertyAssignment(property) && property.name.text === "action"),
      )
    );
  },
};

/** A span name: a non-empty literal, or a value passed in (a helper's parameter). */
function isName(node: ts.Expression | undefined): boolean {
  if (!node) return false;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text.trim().length > 0;
  return ts.isIdentifier(node);
}

type FunctionLike = ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction;

function hasUseServer(statements: readonly ts.Statement[]): boolean {
  for (const statement of statements) {
    if (!ts.isExpressionStatement(statement) || !ts.isStringLiteral(statement.expression)) return false;
    if (statement.expression.text === "use server") return true;
  }
  return false;
}

const bodyStatements = (fn: FunctionLike): readonly ts.Statement[] =>
  fn.body && ts.isBlock(fn.body) ? fn.body.statements : [];

/** The server actions a module defines, by name, each with its function. */
function serverActionsOf(source: ts.SourceFile): { name: string; fn: FunctionLike }[] {
  const actions: { name: string; fn: FunctionLike }[] = [];
  const fileLevel = hasUseServer(source.statements);
  const exported = (node: ts.Node) =>
    ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  const visit = (node: ts.Node) => {
    if (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node)) {
      const name =
        node.name?.getText(source) ??
        (ts.isVariableDeclaration(node.parent) ? node.parent.name.getText(source) : "(anonymous)");
      const isExportedTopLevel =
        fileLevel &&
        ((ts.isFunctionDeclaration(node) && node.parent === source && exported(node)) ||
          (ts.isVariableDeclaration(node.parent) &&
            node.parent.parent.parent.parent === source &&
            exported(node.parent.parent.parent)));
      if (isExportedTopLevel || hasUseServer(bodyStatements(node))) actions.push({ name, fn: node });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return actions;
}

/** Whether a function calls a wrapper with a name, or a same-file function that does. */
function wrapsItsWork(source: ts.SourceFile, fn: FunctionLike): boolean {
  const localFunctions = new Map<string, FunctionLike>();
  for (const statement of source.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name) localFunctions.set(statement.name.text, statement);
    if (ts.isVariableStatement(statement))
      for (const declaration of statement.declarationList.declarations)
        if (
          ts.isIdentifier(declaration.name) &&
          declaration.initializer &&
          (ts.isArrowFunction(declaration.initializer) || ts.isFunctionExpression(declaration.initializer))
        )
          localFunctions.set(declaration.name.text, declaration.initializer);
  }
  const seen = new Set<FunctionLike>();
  const wraps = (candidate: FunctionLike): boolean => {
    if (seen.has(candidate)) return false;
    seen.add(candidate);
    let found = false;
    const visit = (node: ts.Node) => {
      if (found) return;
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) {
        const callee = node.expression.text;
        const check = WRAPPERS[callee];
        if (check ? check(node) : localFunctions.has(callee) && wraps(localFunctions.get(callee)!)) {
          found = true;
          return;
        }
      }
      ts.forEachChild(node, visit);
    };
    if (candidate.body) visit(candidate.body);
    return found;
  };
  return wraps(fn);
}

/** "file: action" for every server action that runs outside a span. */
function unwrappedServerActions(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  return serverActionsOf(source)
    .filter((action) => !wrapsItsWork(source, action.fn))
    .map((action) => `${file}: ${action.name}`);
}

function appModules(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return appModules(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

describe("server actions", () => {
  const files = appModules(path.resolve("app")).filter((file) => readFileSync(file, "utf8").includes("use server"));

  it("are found in app/ (files with a directive, and inline ones)", () => {
    const found = files.flatMap((file) =>
      serverActionsOf(
        ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX),
      ).map((action) => action.name),
    );
    // A sample of each kind, so a parser that finds nothing cannot pass the next test.
    expect(found).toEqual(
      expect.arrayContaining(["activateFromLanding", "signInForLanding", "createApiKeyAction", "chooseLanguage"]),
    );
  });

  it("each run in a span named after them", () => {
    const unwrapped = files.flatMap((file) =>
      unwrappedServerActions(path.relative(process.cwd(), file), readFileSync(file, "utf8")),
    );
    expect(unwrapped).toEqual([]);
  });

  it("the check finds an action that bypasses the wrappers, or wraps with no name", () => {
    const text = `"use server";
      import { runAdminAction } from "./run-admin-action";
      function helper(name: string) { return withServerActionSpan(name, async () => 1); }
      export async function viaHelper() { return helper("via helper"); }
      export async function direct() { return withServerActionSpan("direct", async () => 1); }
      export async function admin(formData: FormData) { return runAdminAction(formData, async () => ({}), { action: "admin" }); }
      export async function adminUnnamed(formData: FormData) { return runAdminAction(formData, async () => ({})); }
      export async function bare(formData: FormData) { await signIn("microsoft-entra-id"); }
      export const arrow = async () => undefined;
      async function notExported() { return 1; }`;
    expect(unwrappedServerActions("actions.ts", text)).toEqual([
      "actions.ts: adminUnnamed",
      "actions.ts: bare",
      "actions.ts: arrow",
    ]);
    const inline = `export function Page() {
      async function start() { "use server"; await signIn("x"); }
      async function traced() { "use server"; return withServerActionSpan("traced", async () => signIn("x")); }
      return null;
    }`;
    expect(unwrappedServerActions("page.tsx", inline)).toEqual(["page.tsx: start"]);
  });
});
