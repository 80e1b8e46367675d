// Checks spec/openapi.json: run `node --test spec/` from the repository root.
//
// - it is a valid OpenAPI 3.1 document (@readme/openapi-parser: the OpenAPI 3.1
//   JSON schema plus spec rules such as unique operationIds and declared path
//   parameters), and the same validator rejects broken variants of it;
// - it has exactly the 21 operations of API.md (name, method, path, inputs);
// - every JSON example validates against its response schema (Ajv, draft 2020-12);
// - every parameter and property carries `description` and `x-liveagent-type`;
// - it stays inside the subset that codegen understands (spec/README.md).

import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { validate } from "@readme/openapi-parser";
import Ajv2020 from "ajv/dist/2020.js";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const SPEC = JSON.parse(readFileSync(here("./openapi.json"), "utf8"));
const API_MD = here("../../shared/API.md");

const BASE = "/resellers/{reseller}";
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const LIVEAGENT_TYPES = ["text", "int", "float", "datetime", "constlist", "list"];
const DATETIME_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$";

// The operations table of API.md: JS method, HTTP method, path under
// /resellers/{reseller}, params object ("-" for none; `?` marks optional).
const API_TABLE = [
  ["listAccountAddons", "GET", "/accounts/{account_id}/addons", "-"],
  ["addAccountAddon", "POST", "/accounts/{account_id}/addons", "{addon_id, valid_to?}"],
  ["listAccounts", "GET", "/accounts", "{created_from?, created_to?}"],
  ["getAccount", "GET", "/accounts/{account_id}", "-"],
  ["createAccount", "POST", "/accounts",
    "{variation_id, customer_email, customer_name, subdomain, company?, top_domain?, language?, extra_params?}"],
  ["getAccountStatus", "GET", "/accounts/{account_id}/status", "-"],
  ["changeAccountStatus", "PUT", "/accounts/{account_id}/status", "{status, note}"],
  ["changeAccountVariation", "PUT", "/accounts/{account_id}/variation", "{variationid, variation_params?}"],
  ["checkDomain", "GET", "/signupcheck/domain", "{productid, subdomain, customtopdomain?}"],
  ["checkEmail", "GET", "/signupcheck/email", "{productid, email}"],
  ["listVariations", "GET", "/variations", "-"],
  ["getAccountAttribute", "GET", "/accounts/{account_id}/attributes/{attribute_name}", "-"],
  ["setAccountAttribute", "PUT", "/accounts/{account_id}/attributes/{attribute_name}", "{value}"],
  ["removeAccountUser", "DELETE", "/accounts/{account_id}/users/{userid}", "-"],
  ["listAccountUsers", "GET", "/accounts/{account_id}/users", "-"],
  ["listLicenseAddons", "GET", "/licenses/{license_code}/addons", "-"],
  ["addLicenseAddon", "POST", "/licenses/{license_code}/addons", "{addon_id, valid_to?}"],
  ["changeLicenseAddonValidity", "PUT", "/licenses/{license_code}/addons/{addon_license}/validity", "{valid_to}"],
  ["listLicenses", "GET", "/licenses", "{valid_from?, valid_to?, customer_identifier?}"],
  ["getLicenseAttribute", "GET", "/licenses/{license_code}/attributes/{attribute_name}", "-"],
  ["setLicenseAttribute", "PUT", "/licenses/{license_code}/attributes/{attribute_name}", "{value}"],
];

const clone = (v) => structuredClone(v);

/** All operations as {path, method, op, item}. */
function operations(doc = SPEC) {
  const out = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) if (item[method]) out.push({ path, method, op: item[method], item });
  }
  return out;
}

/** Resolve a local `#/...` reference against the document. */
function deref(node, doc = SPEC) {
  while (node && typeof node.$ref === "string" && node.$ref.startsWith("#/")) {
    node = node.$ref.slice(2).split("/").reduce((o, k) => o?.[k.replace(/~1/g, "/").replace(/~0/g, "~")], doc);
    assert.ok(node, "dangling $ref");
  }
  return node;
}

/** Inputs of an operation other than path parameters: [{name, required}]. */
function inputs(op) {
  if (op.parameters) return op.parameters.map(deref).filter((p) => p.in !== "path").map((p) => ({ name: p.name, required: p.required === true }));
  const schema = op.requestBody?.content?.["application/x-www-form-urlencoded"]?.schema;
  if (!schema) return [];
  return Object.keys(schema.properties).map((name) => ({ name, required: (schema.required ?? []).includes(name) }));
}

function parseParamsColumn(cell) {
  if (cell === "-") return [];
  return cell.replace(/^\{|\}$/g, "").split(",").map((s) => s.trim()).map((s) =>
    s.endsWith("?") ? { name: s.slice(0, -1), required: false } : { name: s, required: true });
}

async function validateDoc(doc) {
  return validate(clone(doc));
}

function errorText(result) {
  return JSON.stringify(result.errors ?? result.warnings, null, 2);
}

test("openapi.json is a valid OpenAPI 3.1 document", async () => {
  assert.equal(SPEC.openapi, "3.1.0");
  const result = await validateDoc(SPEC);
  assert.equal(result.valid, true, errorText(result));
  assert.equal(result.specification, "OpenAPI");
  assert.deepEqual(result.warnings, [], errorText(result));
});

test("the validator rejects broken variants of the document", async (t) => {
  const breakages = {
    "missing info.title": (d) => { delete d.info.title; },
    "parameter with in: body (Swagger 2.0 only)": (d) => {
      d.paths[`${BASE}/accounts`].get.parameters[0].in = "body";
    },
    // (3.1 made an operation's `responses` optional, but a response needs a description)
    "response without description": (d) => { delete d.paths[`${BASE}/variations`].get.responses["200"].description; },
    "unknown non-extension key on an operation": (d) => { d.paths[`${BASE}/variations`].get.availableFrom = "1.0.0.0"; },
    "duplicate operationId": (d) => { d.paths[`${BASE}/variations`].get.operationId = "listAccounts"; },
    "path parameter not declared": (d) => {
      d.paths[`${BASE}/accounts/{account_id}`].parameters = [{ $ref: "#/components/parameters/reseller" }];
    },
    "optional path parameter": (d) => { d.components.parameters.reseller.required = false; },
    "openapi version 3.1 without patch": (d) => { d.openapi = "3.1"; },
  };
  for (const [name, breakIt] of Object.entries(breakages)) {
    await t.test(name, async () => {
      const doc = clone(SPEC);
      breakIt(doc);
      const result = await validateDoc(doc);
      assert.equal(result.valid, false, `accepted a document with ${name}`);
      assert.ok(result.errors.length > 0);
    });
  }
});

test("exactly the 21 operations of API.md, with their methods, paths and inputs", () => {
  const ops = operations();
  assert.equal(ops.length, 21);
  assert.deepEqual(ops.map((o) => o.op.operationId).sort(), API_TABLE.map((r) => r[0]).sort());
  for (const [id, method, path, params] of API_TABLE) {
    const found = ops.find((o) => o.op.operationId === id);
    assert.equal(found.path, BASE + path, id);
    assert.equal(found.method, method.toLowerCase(), id);
    const actual = inputs(found.op);
    const apikey = actual.find((p) => p.name === "apikey");
    assert.deepEqual(apikey, { name: "apikey", required: true }, `${id}: apikey`);
    const byName = (a, b) => a.name.localeCompare(b.name);
    assert.deepEqual(actual.filter((p) => p.name !== "apikey").sort(byName), parseParamsColumn(params).sort(byName), id);
    // every {placeholder} of the path is declared at path level
    const declared = found.item.parameters.map((p) => deref(p)).filter((p) => p.in === "path").map((p) => p.name);
    assert.deepEqual(declared, [...(BASE + path).matchAll(/\{(\w+)\}/g)].map((m) => m[1]), `${id}: path params`);
  }
});

test("the operations table above matches ../shared/API.md", (t) => {
  if (!existsSync(API_MD)) return t.skip("API.md not present");
  const rows = readFileSync(API_MD, "utf8").split("\n")
    .filter((l) => /^\| \d+ \| `/.test(l))
    .map((l) => l.split("|").slice(1, -1).map((c) => c.trim().replace(/`/g, "")))
    .map(([, js, http, path, , params]) => [js, http, path, params.replace(/\s*\(object optional\)$/, "")]);
  assert.deepEqual(rows, API_TABLE);
});

test("every JSON example validates against its response schema", () => {
  const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
  for (const keyword of ["x-liveagent-type", "x-enum-descriptions", "x-doc-note", "x-format"]) ajv.addKeyword({ keyword });
  // Component schemas become $defs of each checked schema.
  const toDefs = (node) => JSON.parse(JSON.stringify(node).replaceAll('"#/components/schemas/', '"#/$defs/'));
  const defs = toDefs(SPEC.components.schemas);
  const check = (where, mediaType) => {
    assert.ok(mediaType.example !== undefined, `${where}: no example`);
    const validateFn = ajv.compile({ ...toDefs(mediaType.schema), $defs: defs });
    assert.ok(validateFn(mediaType.example), `${where}: ${ajv.errorsText(validateFn.errors)}`);
  };
  let checked = 0;
  for (const { op } of operations()) {
    for (const [code, response] of Object.entries(op.responses)) {
      const content = deref(response).content;
      for (const type of ["application/json", "application/xml"]) {
        check(`${op.operationId} ${code} ${type}`, content[type]);
        if (type === "application/json") checked++;
      }
    }
  }
  assert.equal(checked, 42); // 21 x (200 + default error)
  // and a wrong example is caught: a number where a row list is expected
  const bad = ajv.compile({ ...toDefs(SPEC.paths[`${BASE}/licenses`].get.responses["200"].content["application/json"].schema), $defs: defs });
  assert.equal(bad({ response: { licenses: 7 } }), false);
});

test("every parameter and property has description and x-liveagent-type", () => {
  const problems = [];
  const checkNode = (where, node) => {
    if (typeof node.description !== "string" || node.description.trim() === "") problems.push(`${where}: no description`);
    if (!LIVEAGENT_TYPES.includes(node["x-liveagent-type"])) problems.push(`${where}: x-liveagent-type ${node["x-liveagent-type"]}`);
  };
  const params = [];
  for (const [name, p] of Object.entries(SPEC.components.parameters ?? {})) params.push([`components.parameters.${name}`, p]);
  const bodies = [];
  for (const { path, method, op, item } of operations()) {
    for (const p of item.parameters ?? []) if (!p.$ref) params.push([`${path} ${p.name}`, p]);
    for (const p of op.parameters ?? []) if (!p.$ref) params.push([`${op.operationId} ${p.name}`, p]);
    for (const [type, media] of Object.entries(op.requestBody?.content ?? {})) bodies.push([`${op.operationId} ${method} ${type}`, media.schema]);
  }
  for (const [where, p] of params) checkNode(where, p);
  const schemas = [...bodies, ...Object.entries(SPEC.components.schemas).map(([n, s]) => [`components.schemas.${n}`, s])];
  let count = 0;
  for (const [where, schema] of schemas) {
    for (const [name, prop] of Object.entries(schema.properties ?? {})) {
      checkNode(`${where}.${name}`, prop);
      count++;
    }
  }
  assert.deepEqual(problems, []);
  assert.ok(params.length >= 20 && count >= 80, `only ${params.length} parameters and ${count} properties seen`);
});

test("the document stays inside the subset codegen understands (spec/README.md)", () => {
  const schemas = SPEC.components.schemas;
  const isValueSet = (s) => Array.isArray(s.enum);
  const ref = (name) => ({ $ref: `#/components/schemas/${name}` });
  const envelope = (name) => ({ type: "object", required: ["response"], properties: { response: ref(name) } });

  assert.deepEqual(SPEC.components.parameters.reseller, {
    name: "reseller", in: "path", required: true, description: "Reseller identifier (email or userid)",
    schema: { type: "string" }, "x-liveagent-type": "text",
  });
  const tagNames = SPEC.tags.map((t) => t.name);

  for (const { path, method, op, item } of operations()) {
    const id = op.operationId;
    assert.ok(path.startsWith(BASE + "/"), path);
    assert.deepEqual(item.parameters[0], { $ref: "#/components/parameters/reseller" }, path);
    for (const p of item.parameters.slice(1)) {
      assert.equal(p.in, "path", path);
      assert.equal(p.required, true, path);
      assert.deepEqual(p.schema, { type: "string" }, path);
    }
    assert.equal(op.tags.length, 1, id);
    assert.ok(tagNames.includes(op.tags[0]), id);
    assert.equal(typeof op.summary, "string", id);
    assert.equal(typeof op.description, "string", id);
    assert.equal(op["x-available-from"], "1.0.0.0", id);

    // inputs
    const inputSchemas = [];
    if (method === "get" || method === "delete") {
      assert.equal(op.requestBody, undefined, id);
      for (const p of op.parameters) {
        assert.equal(p.in, "query", id);
        inputSchemas.push([`${id}.${p.name}`, p.schema, p["x-liveagent-type"]]);
      }
    } else {
      assert.equal(op.parameters, undefined, id);
      assert.equal(op.requestBody.required, true, id);
      assert.deepEqual(Object.keys(op.requestBody.content), ["application/x-www-form-urlencoded"], id);
      const schema = op.requestBody.content["application/x-www-form-urlencoded"].schema;
      assert.equal(schema.type, "object", id);
      for (const r of schema.required) assert.ok(r in schema.properties, `${id}: required ${r}`);
      for (const [n, s] of Object.entries(schema.properties)) inputSchemas.push([`${id}.${n}`, s, s["x-liveagent-type"]]);
    }
    for (const [where, s, kind] of inputSchemas) {
      if (kind === "datetime") assert.deepEqual([s.type, s.pattern], ["string", DATETIME_PATTERN], where);
      else if (kind === "constlist") assert.ok(isValueSet(deref(s)), where);
      else assert.equal(s.type, kind === "int" ? "integer" : "string", where);
      if (s["x-format"] !== undefined) assert.equal(s["x-format"], "json", where);
    }

    // responses
    assert.deepEqual(Object.keys(op.responses), ["200", "default"], id);
    assert.deepEqual(op.responses.default, { $ref: "#/components/responses/Error" }, id);
    const ok = op.responses["200"].content;
    assert.deepEqual(Object.keys(ok), ["application/json", "application/xml"], id);
    const payload = ok["application/json"].schema.properties?.response?.$ref?.split("/").pop();
    assert.deepEqual(ok["application/json"].schema, envelope(payload), id);
    assert.equal(typeof ok["application/xml"].example, "string", id);
    assert.ok(ok["application/xml"].example.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<response'), id);
  }
  assert.deepEqual(SPEC.components.responses.Error.content["application/json"].schema, envelope("ErrorPayload"));

  // payload and row schemas: nullable property forms; value sets
  for (const [name, s] of Object.entries(schemas)) {
    if (isValueSet(s)) {
      assert.equal(s.type, "string", name);
      assert.deepEqual(Object.keys(s["x-enum-descriptions"]), s.enum, name);
      continue;
    }
    assert.equal(s.type, "object", name);
    for (const [prop, p] of Object.entries(s.properties)) {
      const where = `${name}.${prop}`;
      const kind = p["x-liveagent-type"];
      const { description, "x-liveagent-type": _k, "x-doc-note": _n, ...shape } = p;
      if (kind === "text" || kind === "datetime") assert.deepEqual(shape, { type: ["string", "null"] }, where);
      else if (kind === "int") assert.deepEqual(shape, { type: ["integer", "null"] }, where);
      else if (kind === "float") assert.deepEqual(shape, { type: ["string", "number", "null"] }, where);
      else if (kind === "constlist") {
        assert.equal(shape.anyOf.length, 2, where);
        assert.deepEqual(shape.anyOf[1], { type: "null" }, where);
        assert.ok(isValueSet(deref(shape.anyOf[0])), where);
      } else if (kind === "list") {
        assert.deepEqual(shape.type, ["array", "null"], where);
        assert.equal(deref(shape.items).type, "object", where);
      } else assert.fail(`${where}: ${kind}`);
    }
  }
});
