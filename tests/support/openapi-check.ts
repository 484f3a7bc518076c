/**
 * Checks an HTTP answer against an OpenAPI 3.1 document, as a product's generated client would
 * read it: the status must be documented for the operation, and the JSON body must match that
 * response's schema. The schemas are read from the document itself (zod's JSON Schema reader), with
 * one tightening: an object may carry only the properties the document names, so an undocumented
 * field fails the check even though the published schemas allow additions.
 */
import { z } from "zod";

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** `#/components/schemas/X` → `#/$defs/X`, and every object with `properties` closed. */
function prepare(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(prepare);
  if (!isObject(value)) return value;
  const out: Json = {};
  for (const [key, child] of Object.entries(value)) {
    out[key] =
      key === "$ref" && typeof child === "string" ? child.replace("#/components/schemas/", "#/$defs/") : prepare(child);
  }
  if (isObject(out.properties) && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

function resolve(document: Json, node: unknown): Json {
  if (isObject(node) && typeof node.$ref === "string") {
    const target = node.$ref
      .replace(/^#\//, "")
      .split("/")
      .reduce<unknown>((at, segment) => (isObject(at) ? at[segment] : undefined), document);
    if (!isObject(target)) throw new Error(`unresolved $ref ${node.$ref}`);
    return resolve(document, target);
  }
  if (!isObject(node)) throw new Error("expected an object in the OpenAPI document");
  return node;
}

export function openApiChecker(document: Json) {
  const components = isObject(document.components) ? document.components : {};
  const defs = prepare(isObject(components.schemas) ? components.schemas : {}) as Json;

  /** The problems with this answer, empty when it conforms. */
  function check(answer: { path: string; method: string; status: number; body: unknown }): string[] {
    const paths = isObject(document.paths) ? document.paths : {};
    const operation = isObject(paths[answer.path]) ? (paths[answer.path] as Json)[answer.method] : undefined;
    if (!isObject(operation)) return [`${answer.method.toUpperCase()} ${answer.path} is not in the document`];
    const responses = isObject(operation.responses) ? operation.responses : {};
    const declared = responses[String(answer.status)];
    if (declared === undefined) return [`status ${answer.status} is not documented for ${answer.path}`];
    const response = resolve(document, declared);
    const content = isObject(response.content) ? response.content["application/json"] : undefined;
    if (!isObject(content) || !isObject(content.schema)) return [`status ${answer.status} documents no JSON body`];
    const schema = z.fromJSONSchema({ $defs: defs, ...(prepare(content.schema) as Json) } as Parameters<
      typeof z.fromJSONSchema
    >[0]);
    const result = schema.safeParse(answer.body);
    return result.success
      ? []
      : result.error.issues.map((issue) => `${issue.path.join(".") || "(body)"}: ${issue.message}`);
  }

  return { check };
}
