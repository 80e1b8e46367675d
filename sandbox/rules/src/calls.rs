//! The 21 calls of the vendor's reference: which route is which call, and
//! what each one does to the records. Nothing here knows about HTTP beyond
//! method names and status codes, so the behaviour can be read call by call.

use crate::clock;
use crate::records::{Account, AddonGrant, License, State, User, Variation, DEFAULT_MAX_AGENTS};
use crate::wire::{ok_status, ApiError, Node, Params};

/// One of the 21 calls, with its decoded path arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    /// GET accounts/{account_id}/addons
    ListAccountAddons { account_id: String },
    /// POST accounts/{account_id}/addons
    AddAccountAddon { account_id: String },
    /// GET accounts
    ListAccounts,
    /// GET accounts/{account_id}
    GetAccount { account_id: String },
    /// POST accounts
    CreateAccount,
    /// GET accounts/{account_id}/status
    GetAccountStatus { account_id: String },
    /// PUT accounts/{account_id}/status
    ChangeAccountStatus { account_id: String },
    /// PUT accounts/{account_id}/variation
    ChangeAccountVariation { account_id: String },
    /// GET signupcheck/domain
    CheckDomain,
    /// GET signupcheck/email
    CheckEmail,
    /// GET variations
    ListVariations,
    /// GET accounts/{account_id}/attributes/{attribute_name}
    GetAccountAttribute { account_id: String, name: String },
    /// PUT accounts/{account_id}/attributes/{attribute_name}
    SetAccountAttribute { account_id: String, name: String },
    /// DELETE accounts/{account_id}/users/{userid}
    RemoveAccountUser { account_id: String, userid: String },
    /// GET accounts/{account_id}/users
    ListAccountUsers { account_id: String },
    /// GET licenses/{license_code}/addons
    ListLicenseAddons { code: String },
    /// POST licenses/{license_code}/addons
    AddLicenseAddon { code: String },
    /// PUT licenses/{license_code}/addons/{addon_license}/validity
    ChangeLicenseAddonValidity { code: String, addon_license: String },
    /// GET licenses
    ListLicenses,
    /// GET licenses/{license_code}/attributes/{attribute_name}
    GetLicenseAttribute { code: String, name: String },
    /// PUT licenses/{license_code}/attributes/{attribute_name}
    SetLicenseAttribute { code: String, name: String },
}

/// The client's names of the 21 calls, as fault rules name them.
pub const OPERATIONS: [&str; 21] = [
    "listAccountAddons",
    "addAccountAddon",
    "listAccounts",
    "getAccount",
    "createAccount",
    "getAccountStatus",
    "changeAccountStatus",
    "changeAccountVariation",
    "checkDomain",
    "checkEmail",
    "listVariations",
    "getAccountAttribute",
    "setAccountAttribute",
    "removeAccountUser",
    "listAccountUsers",
    "listLicenseAddons",
    "addLicenseAddon",
    "changeLicenseAddonValidity",
    "listLicenses",
    "getLicenseAttribute",
    "setLicenseAttribute",
];

impl Call {
    /// The client's name for the call (`getAccount`).
    pub fn operation(&self) -> &'static str {
        let described = self.describe();
        described.split(':').next().unwrap_or(described)
    }

    /// Matches a method and the decoded segments after
    /// `/resellers/{reseller}/`; `None` for an unknown route.
    pub fn route(method: &str, segments: &[String]) -> Option<Call> {
        let segs: Vec<&str> = segments.iter().map(String::as_str).collect();
        let m = method;
        let own = |s: &str| s.to_owned();
        let call = match (m, segs.as_slice()) {
            ("GET", ["accounts", id, "addons"]) => Call::ListAccountAddons {
                account_id: own(id),
            },
            ("POST", ["accounts", id, "addons"]) => Call::AddAccountAddon {
                account_id: own(id),
            },
            ("GET", ["accounts"]) => Call::ListAccounts,
            ("GET", ["accounts", id]) => Call::GetAccount {
                account_id: own(id),
            },
            ("POST", ["accounts"]) => Call::CreateAccount,
            ("GET", ["accounts", id, "status"]) => Call::GetAccountStatus {
                account_id: own(id),
            },
            ("PUT", ["accounts", id, "status"]) => Call::ChangeAccountStatus {
                account_id: own(id),
            },
            ("PUT", ["accounts", id, "variation"]) => Call::ChangeAccountVariation {
                account_id: own(id),
            },
            ("GET", ["signupcheck", "domain"]) => Call::CheckDomain,
            ("GET", ["signupcheck", "email"]) => Call::CheckEmail,
            ("GET", ["variations"]) => Call::ListVariations,
            ("GET", ["accounts", id, "attributes", name]) => Call::GetAccountAttribute {
                account_id: own(id),
                name: own(name),
            },
            ("PUT", ["accounts", id, "attributes", name]) => Call::SetAccountAttribute {
                account_id: own(id),
                name: own(name),
            },
            ("DELETE", ["accounts", id, "users", userid]) => Call::RemoveAccountUser {
                account_id: own(id),
                userid: own(userid),
            },
            ("GET", ["accounts", id, "users"]) => Call::ListAccountUsers {
                account_id: own(id),
            },
            ("GET", ["licenses", code, "addons"]) => Call::ListLicenseAddons { code: own(code) },
            ("POST", ["licenses", code, "addons"]) => Call::AddLicenseAddon { code: own(code) },
            ("PUT", ["licenses", code, "addons", addon, "validity"]) => {
                Call::ChangeLicenseAddonValidity {
                    code: own(code),
                    addon_license: own(addon),
                }
            }
            ("GET", ["licenses"]) => Call::ListLicenses,
            ("GET", ["licenses", code, "attributes", name]) => Call::GetLicenseAttribute {
                code: own(code),
                name: own(name),
            },
            ("PUT", ["licenses", code, "attributes", name]) => Call::SetLicenseAttribute {
                code: own(code),
                name: own(name),
            },
            _ => return None,
        };
        // A path argument is never empty (`accounts//status` is no call).
        if segs.iter().any(|s| s.is_empty()) {
            return None;
        }
        Some(call)
    }

    /// The client's name for the call and its route, for `debugmessage`.
    pub fn describe(&self) -> &'static str {
        match self {
            Call::ListAccountAddons { .. } => {
                "listAccountAddons: GET /resellers/{reseller}/accounts/{account_id}/addons"
            }
            Call::AddAccountAddon { .. } => {
                "addAccountAddon: POST /resellers/{reseller}/accounts/{account_id}/addons"
            }
            Call::ListAccounts => "listAccounts: GET /resellers/{reseller}/accounts",
            Call::GetAccount { .. } => "getAccount: GET /resellers/{reseller}/accounts/{account_id}",
            Call::CreateAccount => "createAccount: POST /resellers/{reseller}/accounts",
            Call::GetAccountStatus { .. } => {
                "getAccountStatus: GET /resellers/{reseller}/accounts/{account_id}/status"
            }
            Call::ChangeAccountStatus { .. } => {
                "changeAccountStatus: PUT /resellers/{reseller}/accounts/{account_id}/status"
            }
            Call::ChangeAccountVariation { .. } => {
                "changeAccountVariation: PUT /resellers/{reseller}/accounts/{account_id}/variation"
            }
            Call::CheckDomain => "checkDomain: GET /resellers/{reseller}/signupcheck/domain",
            Call::CheckEmail => "checkEmail: GET /resellers/{reseller}/signupcheck/email",
            Call::ListVariations => "listVariations: GET /resellers/{reseller}/variations",
            Call::GetAccountAttribute { .. } => {
                "getAccountAttribute: GET /resellers/{reseller}/accounts/{account_id}/attributes/{attribute_name}"
            }
            Call::SetAccountAttribute { .. } => {
                "setAccountAttribute: PUT /resellers/{reseller}/accounts/{account_id}/attributes/{attribute_name}"
            }
            Call::RemoveAccountUser { .. } => {
                "removeAccountUser: DELETE /resellers/{reseller}/accounts/{account_id}/users/{userid}"
            }
            Call::ListAccountUsers { .. } => {
                "listAccountUsers: GET /resellers/{reseller}/accounts/{account_id}/users"
            }
            Call::ListLicenseAddons { .. } => {
                "listLicenseAddons: GET /resellers/{reseller}/licenses/{license_code}/addons"
            }
            Call::AddLicenseAddon { .. } => {
                "addLicenseAddon: POST /resellers/{reseller}/licenses/{license_code}/addons"
            }
            Call::ChangeLicenseAddonValidity { .. } => {
                "changeLicenseAddonValidity: PUT /resellers/{reseller}/licenses/{license_code}/addons/{addon_license}/validity"
            }
            Call::ListLicenses => "listLicenses: GET /resellers/{reseller}/licenses",
            Call::GetLicenseAttribute { .. } => {
                "getLicenseAttribute: GET /resellers/{reseller}/licenses/{license_code}/attributes/{attribute_name}"
            }
            Call::SetLicenseAttribute { .. } => {
                "setLicenseAttribute: PUT /resellers/{reseller}/licenses/{license_code}/attributes/{attribute_name}"
            }
        }
    }

    /// Runs the call against the records. `now` is the server time text.
    pub fn execute(&self, state: &mut State, p: &Params, now: &str) -> Result<Node, ApiError> {
        match self {
            Call::ListAccountAddons { account_id } => {
                let account = find_account(state, account_id)?;
                Ok(addons_node(&account.addons))
            }
            Call::AddAccountAddon { account_id } => {
                grant_params(p)?;
                find_account(state, account_id)?;
                let grant = new_grant(state, p, now)?;
                find_account_mut(state, account_id)?.addons.push(grant);
                Ok(ok_status())
            }
            Call::ListAccounts => list_accounts(state, p),
            Call::GetAccount { account_id } => Ok(account_node(find_account(state, account_id)?)),
            Call::CreateAccount => create_account(state, p, now),
            Call::GetAccountStatus { account_id } => {
                let account = find_account(state, account_id)?;
                Ok(Node::Object(vec![(
                    "account_status",
                    Node::text(account.status.clone()),
                )]))
            }
            Call::ChangeAccountStatus { account_id } => change_status(state, account_id, p),
            Call::ChangeAccountVariation { account_id } => {
                let variation_id = required(p, "variationid")?;
                find_account(state, account_id)?;
                find_variation(state, variation_id)?;
                find_account_mut(state, account_id)?.variation_id = variation_id.to_owned();
                Ok(ok_status())
            }
            Call::CheckDomain => check_domain(state, p),
            Call::CheckEmail => check_email(state, p),
            Call::ListVariations => Ok(Node::Object(vec![(
                "variations",
                Node::List(
                    "variation",
                    state.variations.iter().map(variation_node).collect(),
                ),
            )])),
            Call::GetAccountAttribute { account_id, name } => {
                let account = find_account(state, account_id)?;
                check_attribute(name)?;
                Ok(value_node(&account.max_agents))
            }
            Call::SetAccountAttribute { account_id, name } => {
                let value = required(p, "value")?;
                find_account(state, account_id)?;
                check_attribute(name)?;
                let value = attribute_value(value)?;
                find_account_mut(state, account_id)?.max_agents = value;
                Ok(ok_status())
            }
            Call::RemoveAccountUser { account_id, userid } => {
                let account = find_account_mut(state, account_id)?;
                let before = account.users.len();
                account.users.retain(|u| u.userid != *userid);
                if account.users.len() == before {
                    return Err(ApiError::not_found(format!(
                        "user {userid} not found in account {account_id}"
                    )));
                }
                Ok(ok_status())
            }
            Call::ListAccountUsers { account_id } => {
                let account = find_account(state, account_id)?;
                Ok(Node::Object(vec![(
                    "users",
                    Node::List("user", account.users.iter().map(user_node).collect()),
                )]))
            }
            Call::ListLicenseAddons { code } => {
                let license = find_license(state, code)?;
                Ok(addons_node(&license.addons))
            }
            Call::AddLicenseAddon { code } => {
                grant_params(p)?;
                find_license(state, code)?;
                let grant = new_grant(state, p, now)?;
                find_license_mut(state, code)?.addons.push(grant);
                Ok(ok_status())
            }
            Call::ChangeLicenseAddonValidity {
                code,
                addon_license,
            } => {
                let valid_to = required_datetime(p, "valid_to")?;
                let license = find_license_mut(state, code)?;
                let grant = license
                    .addons
                    .iter_mut()
                    .find(|g| g.license_code == *addon_license)
                    .ok_or_else(|| {
                        ApiError::not_found(format!(
                            "add-on license {addon_license} not found on license {code}"
                        ))
                    })?;
                grant.valid_to = Some(valid_to.to_owned());
                Ok(ok_status())
            }
            Call::ListLicenses => list_licenses(state, p),
            Call::GetLicenseAttribute { code, name } => {
                let license = find_license(state, code)?;
                check_attribute(name)?;
                Ok(value_node(&license.max_agents))
            }
            Call::SetLicenseAttribute { code, name } => {
                let value = required(p, "value")?;
                find_license(state, code)?;
                check_attribute(name)?;
                let value = attribute_value(value)?;
                find_license_mut(state, code)?.max_agents = value;
                Ok(ok_status())
            }
        }
    }
}

// ---- parameters -----------------------------------------------------------

/// A mandatory parameter: absent or empty is a 400 naming it.
fn required<'a>(p: &'a Params, name: &str) -> Result<&'a str, ApiError> {
    p.non_empty(name).ok_or_else(|| ApiError::missing(name))
}

fn bad_datetime(name: &str) -> ApiError {
    ApiError::bad_request(format!(
        "parameter {name} is not a valid datetime (expected YYYY-MM-DD HH:MM:SS)"
    ))
}

fn required_datetime<'a>(p: &'a Params, name: &str) -> Result<&'a str, ApiError> {
    let value = required(p, name)?;
    if clock::is_datetime(value) {
        Ok(value)
    } else {
        Err(bad_datetime(name))
    }
}

/// An optional datetime: empty counts as absent; a malformed one is a 400.
fn optional_datetime<'a>(p: &'a Params, name: &str) -> Result<Option<&'a str>, ApiError> {
    match p.non_empty(name) {
        Some(value) if !clock::is_datetime(value) => Err(bad_datetime(name)),
        other => Ok(other),
    }
}

// ---- lookups --------------------------------------------------------------

fn find_account<'a>(state: &'a State, id: &str) -> Result<&'a Account, ApiError> {
    state
        .account(id)
        .ok_or_else(|| ApiError::not_found(format!("account {id} not found")))
}

fn find_account_mut<'a>(state: &'a mut State, id: &str) -> Result<&'a mut Account, ApiError> {
    state
        .account_mut(id)
        .ok_or_else(|| ApiError::not_found(format!("account {id} not found")))
}

fn find_license<'a>(state: &'a State, code: &str) -> Result<&'a License, ApiError> {
    state
        .license(code)
        .ok_or_else(|| ApiError::not_found(format!("license {code} not found")))
}

fn find_license_mut<'a>(state: &'a mut State, code: &str) -> Result<&'a mut License, ApiError> {
    state
        .license_mut(code)
        .ok_or_else(|| ApiError::not_found(format!("license {code} not found")))
}

fn find_variation<'a>(state: &'a State, id: &str) -> Result<&'a Variation, ApiError> {
    state
        .variation(id)
        .ok_or_else(|| ApiError::not_found(format!("variation {id} not found")))
}

/// Only `max_agents` exists, as the reference says.
fn check_attribute(name: &str) -> Result<(), ApiError> {
    if name == "max_agents" {
        Ok(())
    } else {
        Err(ApiError::not_found(format!(
            "attribute {name} not found (supported: max_agents)"
        )))
    }
}

/// `max_agents` takes a non-negative integer; it is stored normalised.
fn attribute_value(value: &str) -> Result<String, ApiError> {
    match value.parse::<u32>() {
        Ok(n) if value.bytes().all(|b| b.is_ascii_digit()) => Ok(n.to_string()),
        _ => Err(ApiError::bad_request(format!(
            "parameter value must be a non-negative integer for max_agents, got {value:?}"
        ))),
    }
}

/// Checks `addon_id` and `valid_to` before any record is looked up, so
/// that a 400 wins over a 404 as for every other call.
fn grant_params(p: &Params) -> Result<(), ApiError> {
    required(p, "addon_id")?;
    optional_datetime(p, "valid_to")?;
    Ok(())
}

/// Builds a grant from `addon_id` (must exist in the catalogue) and the
/// optional `valid_to`, with a fresh code and `valid_from` now.
fn new_grant(state: &mut State, p: &Params, now: &str) -> Result<AddonGrant, ApiError> {
    let addon_id = required(p, "addon_id")?;
    let valid_to = optional_datetime(p, "valid_to")?;
    let addon = state
        .catalog_addon(addon_id)
        .cloned()
        .ok_or_else(|| ApiError::not_found(format!("add-on {addon_id} not found")))?;
    Ok(AddonGrant {
        id: addon.id,
        description: addon.description,
        name: addon.name,
        price: addon.price,
        valid_from: now.to_owned(),
        valid_to: valid_to.map(str::to_owned),
        license_code: state.new_license_code(),
        status: "A".to_owned(),
    })
}

// ---- calls with more to them ----------------------------------------------

/// `created_from`/`created_to` filter on `date_created`, both inclusive.
/// The text form is fixed-width, so text order is time order (but for the
/// hour that repeats when summer time ends, as on the vendor's servers).
fn list_accounts(state: &State, p: &Params) -> Result<Node, ApiError> {
    let from = optional_datetime(p, "created_from")?;
    let to = optional_datetime(p, "created_to")?;
    let accounts = state
        .accounts
        .iter()
        .filter(|a| from.is_none_or(|f| a.date_created.as_str() >= f))
        .filter(|a| to.is_none_or(|t| a.date_created.as_str() <= t))
        .map(account_node)
        .collect();
    Ok(Node::Object(vec![(
        "accounts",
        Node::List("account", accounts),
    )]))
}

/// `valid_from` keeps licenses valid from that time on, `valid_to` those
/// whose validity ends by then (open-ended ones do not), and
/// `customer_identifier` matches the customer's email or name.
fn list_licenses(state: &State, p: &Params) -> Result<Node, ApiError> {
    let from = optional_datetime(p, "valid_from")?;
    let to = optional_datetime(p, "valid_to")?;
    let who = p.non_empty("customer_identifier");
    let licenses = state
        .licenses
        .iter()
        .filter(|l| from.is_none_or(|f| l.valid_from.as_str() >= f))
        .filter(|l| to.is_none_or(|t| l.valid_to.as_deref().is_some_and(|v| v <= t)))
        .filter(|l| {
            who.is_none_or(|w| {
                l.customer_email.eq_ignore_ascii_case(w) || l.customer_name.eq_ignore_ascii_case(w)
            })
        })
        .map(license_node)
        .collect();
    Ok(Node::Object(vec![(
        "licenses",
        Node::List("license", licenses),
    )]))
}

fn create_account(state: &mut State, p: &Params, now: &str) -> Result<Node, ApiError> {
    let variation_id = required(p, "variation_id")?;
    let customer_email = required(p, "customer_email")?;
    let customer_name = required(p, "customer_name")?;
    let subdomain = required(p, "subdomain")?;
    let top_domain = p.non_empty("top_domain").unwrap_or("ladesk.com");
    if let Some(extra) = p.non_empty("extra_params") {
        if !serde_json::from_str::<serde_json::Value>(extra).is_ok_and(|v| v.is_object()) {
            return Err(ApiError::bad_request(
                "parameter extra_params must be a JSON object string",
            ));
        }
    }
    find_variation(state, variation_id)?;
    if let Some(reason) = subdomain_problem(subdomain) {
        return Err(ApiError::bad_request(reason));
    }
    let domain = format!("{subdomain}.{top_domain}");
    if state.domain_taken(&domain) {
        return Err(ApiError::bad_request(format!(
            "domain {domain} is already taken"
        )));
    }
    let account_id = state.new_account_id();
    let owner_id = state.new_user_id();
    let (firstname, lastname) = customer_name
        .trim()
        .split_once(' ')
        .map_or((customer_name.trim(), ""), |(f, l)| (f, l.trim()));
    let owner = User {
        userid: owner_id,
        email: customer_email.to_owned(),
        firstname: firstname.to_owned(),
        lastname: lastname.to_owned(),
        role: "Owner".to_owned(),
        status: "A".to_owned(),
        role_type: "la_own".to_owned(),
        date_created: now.to_owned(),
    };
    state.accounts.push(Account {
        customer_email: customer_email.to_owned(),
        account_id: account_id.clone(),
        domain,
        customer_name: customer_name.to_owned(),
        company: p.non_empty("company").map(str::to_owned),
        date_created: now.to_owned(),
        variation_id: variation_id.to_owned(),
        status: "c".to_owned(),
        version: "5.0.0.0".to_owned(),
        last_login_date: None,
        max_agents: DEFAULT_MAX_AGENTS.to_owned(),
        users: vec![owner],
        addons: Vec::new(),
    });
    Ok(Node::Object(vec![
        ("status", Node::text("OK")),
        ("statuscode", Node::Int(0)),
        ("account_id", Node::text(account_id)),
        ("account_status", Node::text("c")),
    ]))
}

/// `a`, `s` or `t`; a terminated account stays terminated.
fn change_status(state: &mut State, account_id: &str, p: &Params) -> Result<Node, ApiError> {
    let status = required(p, "status")?;
    required(p, "note")?;
    if !matches!(status, "a" | "s" | "t") {
        return Err(ApiError::bad_request(format!(
            "parameter status has invalid value {status:?} (allowed: a, s, t)"
        )));
    }
    let account = find_account_mut(state, account_id)?;
    if account.status == "t" && status != "t" {
        return Err(ApiError::bad_request(format!(
            "account {account_id} is terminated and cannot be changed"
        )));
    }
    account.status = status.to_owned();
    Ok(ok_status())
}

/// Why a subdomain is not acceptable, if it is not.
fn subdomain_problem(subdomain: &str) -> Option<String> {
    if !(3..=63).contains(&subdomain.chars().count()) {
        return Some("subdomain must be 3 to 63 characters long".to_owned());
    }
    if !subdomain
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Some("subdomain may contain only lowercase letters, digits and hyphens".to_owned());
    }
    if subdomain.starts_with('-') || subdomain.ends_with('-') {
        return Some("subdomain may not start or end with a hyphen".to_owned());
    }
    None
}

fn check_result(problem: Option<String>) -> Node {
    match problem {
        None => Node::Object(vec![("is_valid", Node::text("1")), ("error", Node::Null)]),
        Some(reason) => Node::Object(vec![
            ("is_valid", Node::text("0")),
            ("error", Node::text(reason)),
        ]),
    }
}

fn check_domain(state: &State, p: &Params) -> Result<Node, ApiError> {
    required(p, "productid")?;
    let subdomain = required(p, "subdomain")?;
    let top = p.non_empty("customtopdomain").unwrap_or("ladesk.com");
    let problem = subdomain_problem(subdomain).or_else(|| {
        let domain = format!("{subdomain}.{top}");
        state
            .domain_taken(&domain)
            .then(|| format!("domain {domain} is already taken"))
    });
    Ok(check_result(problem))
}

fn check_email(state: &State, p: &Params) -> Result<Node, ApiError> {
    required(p, "productid")?;
    let email = required(p, "email")?;
    let problem = if !looks_like_email(email) {
        Some(format!("{email} is not a valid email address"))
    } else if state.email_taken(email) {
        Some(format!("a customer with email {email} already exists"))
    } else {
        None
    };
    Ok(check_result(problem))
}

/// One `@`, something before it, and a dot inside the domain part.
fn looks_like_email(email: &str) -> bool {
    let mut parts = email.split('@');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(local), Some(domain), None) => {
            !local.is_empty()
                && !email.chars().any(char::is_whitespace)
                && domain.trim_matches('.').contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        }
        _ => false,
    }
}

// ---- rendering in vendor field order ---------------------------------------

fn account_node(a: &Account) -> Node {
    Node::Object(vec![
        ("customer_email", Node::text(a.customer_email.clone())),
        ("account_id", Node::text(a.account_id.clone())),
        ("domain", Node::text(a.domain.clone())),
        ("customer_name", Node::text(a.customer_name.clone())),
        ("company", Node::opt(a.company.as_deref())),
        ("date_created", Node::text(a.date_created.clone())),
        ("variation_id", Node::text(a.variation_id.clone())),
        ("status", Node::text(a.status.clone())),
        ("version", Node::text(a.version.clone())),
        ("last_login_date", Node::opt(a.last_login_date.as_deref())),
    ])
}

fn addons_node(grants: &[AddonGrant]) -> Node {
    let items = grants
        .iter()
        .map(|g| {
            Node::Object(vec![
                ("id", Node::text(g.id.clone())),
                ("description", Node::text(g.description.clone())),
                ("name", Node::text(g.name.clone())),
                ("price", Node::text(g.price.clone())),
                ("valid_from", Node::text(g.valid_from.clone())),
                ("valid_to", Node::opt(g.valid_to.as_deref())),
                ("license_code", Node::text(g.license_code.clone())),
                ("status", Node::text(g.status.clone())),
            ])
        })
        .collect();
    Node::Object(vec![("addons", Node::List("addon", items))])
}

fn variation_node(v: &Variation) -> Node {
    let addons = v
        .addons
        .iter()
        .map(|a| {
            Node::Object(vec![
                ("name", Node::text(a.name.clone())),
                ("id", Node::text(a.id.clone())),
                ("price", Node::text(a.price.clone())),
                ("description", Node::text(a.description.clone())),
            ])
        })
        .collect();
    Node::Object(vec![
        ("name", Node::text(v.name.clone())),
        ("id", Node::text(v.id.clone())),
        ("created", Node::text(v.created.clone())),
        ("description", Node::text(v.description.clone())),
        ("product", Node::text(v.product.clone())),
        ("addons", Node::List("addon", addons)),
    ])
}

fn user_node(u: &User) -> Node {
    Node::Object(vec![
        ("userid", Node::text(u.userid.clone())),
        ("email", Node::text(u.email.clone())),
        ("firstname", Node::text(u.firstname.clone())),
        ("lastname", Node::text(u.lastname.clone())),
        ("role", Node::text(u.role.clone())),
        ("status", Node::text(u.status.clone())),
        ("role_type", Node::text(u.role_type.clone())),
        ("date_created", Node::text(u.date_created.clone())),
    ])
}

fn license_node(l: &License) -> Node {
    Node::Object(vec![
        ("customer_email", Node::text(l.customer_email.clone())),
        ("license_code", Node::text(l.license_code.clone())),
        ("valid_from", Node::text(l.valid_from.clone())),
        ("customer_name", Node::text(l.customer_name.clone())),
        ("valid_to", Node::opt(l.valid_to.as_deref())),
        ("variation_id", Node::text(l.variation_id.clone())),
        ("license_status", Node::text(l.license_status.clone())),
    ])
}

fn value_node(value: &str) -> Node {
    Node::Object(vec![("value", Node::text(value))])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segs(path: &str) -> Vec<String> {
        path.split('/').map(str::to_owned).collect()
    }

    #[test]
    fn routes_all_21_calls() {
        let cases = [
            ("GET", "accounts/x/addons"),
            ("POST", "accounts/x/addons"),
            ("GET", "accounts"),
            ("GET", "accounts/x"),
            ("POST", "accounts"),
            ("GET", "accounts/x/status"),
            ("PUT", "accounts/x/status"),
            ("PUT", "accounts/x/variation"),
            ("GET", "signupcheck/domain"),
            ("GET", "signupcheck/email"),
            ("GET", "variations"),
            ("GET", "accounts/x/attributes/max_agents"),
            ("PUT", "accounts/x/attributes/max_agents"),
            ("DELETE", "accounts/x/users/u"),
            ("GET", "accounts/x/users"),
            ("GET", "licenses/l/addons"),
            ("POST", "licenses/l/addons"),
            ("PUT", "licenses/l/addons/a/validity"),
            ("GET", "licenses"),
            ("GET", "licenses/l/attributes/max_agents"),
            ("PUT", "licenses/l/attributes/max_agents"),
        ];
        let mut names: Vec<&str> = cases
            .iter()
            .filter_map(|(m, p)| Call::route(m, &segs(p)).map(|c| c.describe()))
            .collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 21);
        let mut operations: Vec<&str> = cases
            .iter()
            .filter_map(|(m, p)| Call::route(m, &segs(p)).map(|c| c.operation()))
            .collect();
        operations.sort_unstable();
        let mut known = OPERATIONS.to_vec();
        known.sort_unstable();
        assert_eq!(operations, known);
        assert_eq!(Call::route("DELETE", &segs("accounts")), None);
        assert_eq!(Call::route("GET", &segs("accounts//status")), None);
    }

    #[test]
    fn subdomain_rules() {
        assert_eq!(subdomain_problem("acme-1"), None);
        assert!(subdomain_problem("ab").is_some());
        assert!(subdomain_problem("Acme").is_some());
        assert!(subdomain_problem("-acme").is_some());
    }

    #[test]
    fn email_rules() {
        assert!(looks_like_email("a@b.co"));
        assert!(!looks_like_email("a@b"));
        assert!(!looks_like_email("a@@b.co"));
        assert!(!looks_like_email("@b.co"));
        assert!(!looks_like_email("a b@b.co"));
    }
}
