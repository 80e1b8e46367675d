//! The routes that steer the sandbox rather than play the vendor's API:
//! fault rules, reset, the request log, and the connection details for the
//! demo page. Every driver routes `/_sandbox/*` and `/sandbox.json` here.

use serde::Serialize;

use crate::faults::{FaultRule, LoggedRequest};
use crate::sandbox::Sandbox;
use crate::wire::{to_json, Node, Params, Reply};

/// Whether a path belongs to the control surface (which is closed to
/// pages of other origins, see [`crate::origin`]).
pub fn is_control_path(path: &str) -> bool {
    path == "/sandbox.json" || path.starts_with("/_sandbox/")
}

/// A control request, as received.
#[derive(Debug, Clone, Copy)]
pub struct ControlRequest<'a> {
    /// HTTP method, upper case.
    pub method: &'a str,
    /// Path (`/_sandbox/faults`).
    pub path: &'a str,
    /// Raw query string ("" when none).
    pub query: &'a str,
    /// The whole body.
    pub body: &'a [u8],
    /// The API base URL handed out by `/sandbox.json`.
    pub base_url: &'a str,
}

/// The answer to a control request; `None` when the path is not one.
pub fn route(sandbox: &mut Sandbox, request: &ControlRequest<'_>) -> Option<Reply> {
    let method = match request.method {
        "HEAD" => "GET",
        other => other,
    };
    let reply = match (request.path, method) {
        ("/sandbox.json", "GET") => sandbox_json(sandbox, request.base_url),
        ("/_sandbox/faults", "POST") => add_fault(sandbox, request.body),
        ("/_sandbox/faults", "GET") => rules(sandbox),
        ("/_sandbox/faults", "DELETE") => {
            sandbox.faults_mut().clear_rules();
            ok()
        }
        ("/_sandbox/reset", "POST") => {
            sandbox.reset();
            ok()
        }
        ("/_sandbox/requests", "GET") => requests(sandbox, request.query),
        ("/_sandbox/requests", "DELETE") => {
            sandbox.faults_mut().clear_log();
            ok()
        }
        ("/sandbox.json", _) => not_allowed("GET,HEAD"),
        ("/_sandbox/faults", _) => not_allowed("GET,HEAD,POST,DELETE"),
        ("/_sandbox/reset", _) => not_allowed("POST"),
        ("/_sandbox/requests", _) => not_allowed("GET,HEAD,DELETE"),
        (path, _) if is_control_path(path) => error(404, "no such control route"),
        _ => return None,
    };
    Some(reply)
}

fn json(status: u16, body: String) -> Reply {
    Reply::new(status, "application/json", body)
}

fn serialized(value: &impl Serialize) -> Reply {
    match serde_json::to_string(value) {
        Ok(body) => json(200, body),
        Err(e) => error(500, &e.to_string()),
    }
}

fn error(status: u16, message: &str) -> Reply {
    let node = Node::Object(vec![("error", Node::text(message))]);
    json(status, to_json(&node))
}

fn not_allowed(allow: &str) -> Reply {
    error(405, "method not allowed").with_header("allow", allow)
}

fn ok() -> Reply {
    json(200, "{\"ok\":true}".to_owned())
}

/// `{"baseUrl", "reseller", "apiKey"}` so that the demo page connects at
/// once. Showing its own key is intended: the sandbox is a local dev tool,
/// and this route is closed to pages of other origins.
fn sandbox_json(sandbox: &Sandbox, base_url: &str) -> Reply {
    let options = sandbox.options();
    let node = Node::Object(vec![
        ("baseUrl", Node::text(base_url)),
        ("reseller", Node::text(options.reseller.clone())),
        ("apiKey", Node::text(options.api_key.clone())),
    ]);
    json(200, to_json(&node))
}

#[derive(Serialize)]
struct RulesAnswer<'a> {
    ok: bool,
    rules: &'a [FaultRule],
}

fn rules(sandbox: &Sandbox) -> Reply {
    serialized(&RulesAnswer {
        ok: true,
        rules: sandbox.faults().rules(),
    })
}

/// Registers a rule; [`FaultRule`]'s reading checks it, so a bad one is a
/// 400 naming the problem.
fn add_fault(sandbox: &mut Sandbox, body: &[u8]) -> Reply {
    match serde_json::from_slice::<FaultRule>(body) {
        Ok(rule) => {
            sandbox.faults_mut().add_rule(rule);
            rules(sandbox)
        }
        Err(e) => error(400, &format!("bad fault rule: {e}")),
    }
}

#[derive(Serialize)]
struct RequestsAnswer {
    requests: Vec<LoggedRequest>,
}

fn requests(sandbox: &Sandbox, query: &str) -> Reply {
    let query = match Params::parse(query.as_bytes()) {
        Ok(q) => q,
        Err(e) => return error(400, &e.describe("the query string")),
    };
    let filter = query.get("path_contains").unwrap_or_default();
    serialized(&RequestsAnswer {
        requests: sandbox.faults().logged(filter),
    })
}
