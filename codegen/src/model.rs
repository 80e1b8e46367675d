//! The spec as codegen understands it: the OpenAPI subset described in
//! `spec/README.md`, read into plain structs. Anything outside the subset is
//! an error naming where it was found.

use serde_json::{Map, Value};

/// HTTP method of an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
}

impl Method {
    pub fn variant(self) -> &'static str {
        match self {
            Method::Get => "Get",
            Method::Post => "Post",
            Method::Put => "Put",
            Method::Delete => "Delete",
        }
    }

    pub fn wire(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

/// One piece of a path below `/resellers/{reseller}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    Literal(String),
    Arg(String),
}

/// What an input value must look like.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputKind {
    Text,
    Datetime,
    Json,
    ValueSet(String),
}

/// A documented input (query parameter or form field), `apikey` excluded.
#[derive(Clone, Debug)]
pub struct Input {
    pub name: String,
    pub description: String,
    pub kind: InputKind,
    pub required: bool,
}

/// A path argument.
#[derive(Clone, Debug)]
pub struct PathArg {
    pub name: String,
    pub description: String,
}

/// One of the 21 calls.
#[derive(Clone, Debug)]
pub struct Operation {
    pub id: String,
    pub summary: String,
    pub description: String,
    pub method: Method,
    /// The full path template, for docs.
    pub path: String,
    pub segments: Vec<Segment>,
    pub path_args: Vec<PathArg>,
    pub inputs: Vec<Input>,
    /// Name of the payload schema.
    pub response: String,
}

/// Type of a response field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldType {
    Text,
    Datetime,
    Int,
    Money,
    ValueSet(String),
    List(String),
}

#[derive(Clone, Debug)]
pub struct Field {
    pub name: String,
    pub description: String,
    pub note: Option<String>,
    pub ty: FieldType,
}

/// A response payload or list row.
#[derive(Clone, Debug)]
pub struct Struct {
    pub name: String,
    pub description: String,
    pub fields: Vec<Field>,
}

/// A documented value set.
#[derive(Clone, Debug)]
pub struct ValueSet {
    pub name: String,
    pub description: String,
    /// `(code, meaning)` in documented order.
    pub codes: Vec<(String, String)>,
    /// Used as an input: closed (no unknown codes accepted).
    pub input: bool,
}

#[derive(Clone, Debug)]
pub struct Api {
    pub operations: Vec<Operation>,
    pub structs: Vec<Struct>,
    pub value_sets: Vec<ValueSet>,
}

type Result<T> = std::result::Result<T, String>;

fn obj<'a>(v: &'a Value, at: &str) -> Result<&'a Map<String, Value>> {
    v.as_object()
        .ok_or_else(|| format!("{at}: expected an object"))
}

fn text<'a>(v: &'a Value, key: &str, at: &str) -> Result<&'a str> {
    v.get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("{at}: missing string `{key}`"))
}

fn ref_name<'a>(v: &'a Value, at: &str) -> Result<&'a str> {
    text(v, "$ref", at)?
        .strip_prefix("#/components/schemas/")
        .ok_or_else(|| format!("{at}: only #/components/schemas/ refs are supported"))
}

const DATETIME_PATTERN: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$";

fn input(
    name: &str,
    schema_holder: &Value,
    schema: &Value,
    required: bool,
    at: &str,
) -> Result<Input> {
    let la_type = text(schema_holder, "x-liveagent-type", at)?;
    let kind = match la_type {
        "text" if schema.get("$ref").is_some() => {
            return Err(format!(
                "{at}: a $ref input must be x-liveagent-type constlist"
            ))
        }
        "text" if schema_holder.get("x-format").and_then(Value::as_str) == Some("json") => {
            InputKind::Json
        }
        "text" if schema_holder.get("x-format").is_some() => {
            return Err(format!("{at}: unsupported x-format"))
        }
        "text" => InputKind::Text,
        "datetime" if schema.get("pattern").and_then(Value::as_str) == Some(DATETIME_PATTERN) => {
            InputKind::Datetime
        }
        "datetime" => return Err(format!("{at}: a datetime input needs the datetime pattern")),
        "constlist" => InputKind::ValueSet(ref_name(schema, at)?.to_owned()),
        other => return Err(format!("{at}: unsupported input type `{other}`")),
    };
    Ok(Input {
        name: name.to_owned(),
        description: text(schema_holder, "description", at)?.to_owned(),
        kind,
        required,
    })
}

fn nullable_type(schema: &Value) -> Vec<&str> {
    match schema.get("type") {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        Some(Value::String(s)) => vec![s.as_str()],
        _ => Vec::new(),
    }
}

fn field(name: &str, schema: &Value, at: &str) -> Result<Field> {
    let la_type = text(schema, "x-liveagent-type", at)?;
    let types = nullable_type(schema);
    let ty = match (la_type, types.as_slice()) {
        ("text", ["string", "null"]) => FieldType::Text,
        ("datetime", ["string", "null"]) => FieldType::Datetime,
        ("int", ["integer", "null"]) => FieldType::Int,
        ("float", ["string", "number", "null"]) => FieldType::Money,
        ("list", ["array", "null"]) => {
            let items = schema
                .get("items")
                .ok_or_else(|| format!("{at}: list without items"))?;
            FieldType::List(ref_name(items, at)?.to_owned())
        }
        ("constlist", []) => {
            let any = schema
                .get("anyOf")
                .and_then(Value::as_array)
                .ok_or_else(|| format!("{at}: constlist fields are anyOf [$ref, null]"))?;
            match any.as_slice() {
                [r, null] if null.get("type").and_then(Value::as_str) == Some("null") => {
                    FieldType::ValueSet(ref_name(r, at)?.to_owned())
                }
                _ => return Err(format!("{at}: constlist fields are anyOf [$ref, null]")),
            }
        }
        (t, types) => {
            return Err(format!(
                "{at}: unsupported field form ({t} with type {types:?}); see spec/README.md"
            ))
        }
    };
    Ok(Field {
        name: name.to_owned(),
        description: text(schema, "description", at)?.to_owned(),
        note: schema
            .get("x-doc-note")
            .and_then(Value::as_str)
            .map(str::to_owned),
        ty,
    })
}

fn resolve_param<'a>(root: &'a Value, p: &'a Value, at: &str) -> Result<&'a Value> {
    match p.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let name = r
                .strip_prefix("#/components/parameters/")
                .ok_or_else(|| format!("{at}: unsupported parameter ref {r}"))?;
            root.pointer(&format!("/components/parameters/{name}"))
                .ok_or_else(|| format!("{at}: unknown parameter {r}"))
        }
        None => Ok(p),
    }
}

fn operation(
    root: &Value,
    path: &str,
    method: Method,
    item: &Value,
    op: &Value,
) -> Result<Operation> {
    let id = text(op, "operationId", path)?.to_owned();
    let at = format!("{} {path} ({id})", method.wire());
    let tail = path
        .strip_prefix("/resellers/{reseller}")
        .ok_or_else(|| format!("{at}: paths must start with /resellers/{{reseller}}"))?;
    let segments: Vec<Segment> = tail
        .split('/')
        .filter(|s| !s.is_empty())
        .map(
            |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(arg) => Segment::Arg(arg.to_owned()),
                None => Segment::Literal(s.to_owned()),
            },
        )
        .collect();

    let mut path_args = Vec::new();
    let mut inputs = Vec::new();
    let mut saw_key = false;
    let item_params = item
        .get("parameters")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let op_params = op
        .get("parameters")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for raw in item_params.iter().chain(op_params.iter()) {
        let p = resolve_param(root, raw, &at)?;
        let name = text(p, "name", &at)?;
        let required = p.get("required").and_then(Value::as_bool).unwrap_or(false);
        match text(p, "in", &at)? {
            "path" if name == "reseller" => {}
            "path" => path_args.push(PathArg {
                name: name.to_owned(),
                description: text(p, "description", &at)?.to_owned(),
            }),
            "query" if !matches!(method, Method::Get | Method::Delete) => {
                return Err(format!("{at}: {name}: POST/PUT inputs go in the form body"))
            }
            "query" if name == "apikey" => saw_key = required,
            "query" => {
                let schema = p
                    .get("schema")
                    .ok_or_else(|| format!("{at}: {name} has no schema"))?;
                inputs.push(input(name, p, schema, required, &format!("{at} {name}"))?);
            }
            other => {
                return Err(format!(
                    "{at}: {name}: parameters `in: {other}` are not supported"
                ))
            }
        }
    }
    let declared: Vec<&str> = segments
        .iter()
        .filter_map(|s| match s {
            Segment::Arg(a) => Some(a.as_str()),
            Segment::Literal(_) => None,
        })
        .collect();
    let described: Vec<&str> = path_args.iter().map(|a| a.name.as_str()).collect();
    if declared != described {
        return Err(format!(
            "{at}: path arguments {declared:?} but parameters {described:?}"
        ));
    }

    if let Some(body) = op.get("requestBody") {
        if matches!(method, Method::Get | Method::Delete) {
            return Err(format!("{at}: GET/DELETE take no body"));
        }
        let schema = body
            .pointer("/content/application~1x-www-form-urlencoded/schema")
            .ok_or_else(|| format!("{at}: the body must be application/x-www-form-urlencoded"))?;
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let props = obj(
            schema
                .get("properties")
                .ok_or_else(|| format!("{at}: body without properties"))?,
            &at,
        )?;
        for (name, prop) in props {
            let is_required = required.contains(&name.as_str());
            if name == "apikey" {
                saw_key = is_required;
                continue;
            }
            inputs.push(input(
                name,
                prop,
                prop,
                is_required,
                &format!("{at} {name}"),
            )?);
        }
    }
    if !saw_key {
        return Err(format!("{at}: a mandatory `apikey` input is required"));
    }

    let response = op
        .pointer("/responses/200/content/application~1json/schema")
        .ok_or_else(|| format!("{at}: no 200 application/json response"))?;
    let envelope = response
        .pointer("/properties/response")
        .ok_or_else(|| format!("{at}: the 200 schema must be the {{response: ...}} envelope"))?;
    Ok(Operation {
        summary: text(op, "summary", &at)?.to_owned(),
        description: text(op, "description", &at)?.to_owned(),
        method,
        path: path.to_owned(),
        segments,
        path_args,
        inputs,
        response: ref_name(envelope, &at)?.to_owned(),
        id,
    })
}

/// Reads the spec into the model.
pub fn read(spec: &Value) -> Result<Api> {
    let version = text(spec, "openapi", "spec")?;
    if !version.starts_with("3.1") {
        return Err(format!("spec: OpenAPI {version} is not supported (3.1 is)"));
    }
    let mut operations = Vec::new();
    for (path, item) in obj(spec.get("paths").ok_or("spec: no paths")?, "paths")? {
        for (key, op) in obj(item, path)? {
            let method = match key.as_str() {
                "get" => Method::Get,
                "post" => Method::Post,
                "put" => Method::Put,
                "delete" => Method::Delete,
                "parameters" | "summary" | "description" => continue,
                other => return Err(format!("{path}: method `{other}` is not supported")),
            };
            operations.push(operation(spec, path, method, item, op)?);
        }
    }

    let schemas = obj(
        spec.pointer("/components/schemas")
            .ok_or("spec: no components.schemas")?,
        "components.schemas",
    )?;
    // The structs reachable from the responses, in spec order.
    let mut wanted: Vec<String> = operations.iter().map(|o| o.response.clone()).collect();
    let mut structs: Vec<Struct> = Vec::new();
    let mut used_sets: Vec<(String, bool)> = Vec::new();
    while let Some(name) = wanted.pop() {
        if structs.iter().any(|s| s.name == name) {
            continue;
        }
        let at = format!("components.schemas.{name}");
        let schema = schemas
            .get(&name)
            .ok_or_else(|| format!("{at}: not found"))?;
        if schema.get("type").and_then(Value::as_str) != Some("object") {
            return Err(format!("{at}: payloads and rows must be objects"));
        }
        let mut fields = Vec::new();
        for (fname, fschema) in obj(
            schema
                .get("properties")
                .ok_or(format!("{at}: no properties"))?,
            &at,
        )? {
            let f = field(fname, fschema, &format!("{at}.{fname}"))?;
            match &f.ty {
                FieldType::List(row) => wanted.push(row.clone()),
                FieldType::ValueSet(set) => used_sets.push((set.clone(), false)),
                _ => {}
            }
            fields.push(f);
        }
        structs.push(Struct {
            description: schema
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            name,
            fields,
        });
    }
    let order: Vec<&String> = schemas.keys().collect();
    structs.sort_by_key(|s| order.iter().position(|k| **k == s.name));

    for op in &operations {
        for i in &op.inputs {
            if let InputKind::ValueSet(set) = &i.kind {
                used_sets.push((set.clone(), true));
            }
        }
    }
    let mut value_sets = Vec::new();
    for (name, schema) in schemas {
        let uses: Vec<bool> = used_sets
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, i)| *i)
            .collect();
        if uses.is_empty() {
            continue;
        }
        let input = uses.iter().all(|i| *i);
        if !input && uses.iter().any(|i| *i) {
            return Err(format!(
                "{name}: a value set is either an input or an output, not both"
            ));
        }
        let at = format!("components.schemas.{name}");
        let meanings = schema
            .get("x-enum-descriptions")
            .and_then(Value::as_object)
            .ok_or_else(|| format!("{at}: value sets need x-enum-descriptions"))?;
        let codes = schema
            .get("enum")
            .and_then(Value::as_array)
            .ok_or_else(|| format!("{at}: value sets need enum"))?
            .iter()
            .map(|c| {
                let code = c
                    .as_str()
                    .ok_or_else(|| format!("{at}: codes are strings"))?;
                let meaning = meanings
                    .get(code)
                    .and_then(Value::as_str)
                    .ok_or_else(|| format!("{at}: no meaning for code {code}"))?;
                Ok((code.to_owned(), meaning.to_owned()))
            })
            .collect::<Result<Vec<_>>>()?;
        value_sets.push(ValueSet {
            name: name.clone(),
            description: text(schema, "description", &at)?.to_owned(),
            codes,
            input,
        });
    }
    Ok(Api {
        operations,
        structs,
        value_sets,
    })
}
