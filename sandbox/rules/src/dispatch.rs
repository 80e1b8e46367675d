//! An API request turned into an answer: route the raw path by hand (so
//! that percent-decoding, the `.xml` suffix and malformed input are under
//! our control), read the parameters where the vendor puts them,
//! authenticate, and run the call. No I/O here: the records, the
//! credentials and the time are handed in.

use crate::calls::Call;
use crate::records::State as Records;
use crate::wire::{decode_segments, is_form_content_type, ApiError, Node, Params};

/// An API request reduced to what the answer depends on.
#[derive(Debug)]
pub struct ApiRequest<'a> {
    /// HTTP method.
    pub method: &'a str,
    /// Path as received, still percent-encoded.
    pub raw_path: &'a str,
    /// Query string as received ("" when none).
    pub raw_query: &'a str,
    /// `Content-Type` header, if any.
    pub content_type: Option<&'a str>,
    /// The whole body.
    pub body: &'a [u8],
}

impl ApiRequest<'_> {
    /// The client's name of the call this request routes to, if any (for
    /// fault rules that name one).
    pub fn operation(&self) -> Option<&'static str> {
        let route_path = self.raw_path.strip_suffix(".xml").unwrap_or(self.raw_path);
        let segments = decode_segments(route_path.strip_prefix("/api/")?).ok()?;
        match segments.as_slice() {
            [first, _reseller, rest @ ..] if first == "resellers" => {
                Call::route(self.method, rest).map(|call| call.operation())
            }
            _ => None,
        }
    }

    /// Route, read parameters, authenticate, run the call at server time
    /// `now` (`YYYY-MM-DD HH:MM:SS`).
    pub fn answer(
        &self,
        records: &mut Records,
        credentials: Credentials<'_>,
        now: &str,
    ) -> Result<Node, ApiError> {
        let unknown = || {
            ApiError::not_found(format!(
                "unknown API call: {} {}",
                self.method, self.raw_path
            ))
            .with_debug("see the vendor's reference for the 21 reseller calls")
        };
        let route_path = self.raw_path.strip_suffix(".xml").unwrap_or(self.raw_path);
        let encoded = route_path.strip_prefix("/api/").ok_or_else(unknown)?;
        let segments = decode_segments(encoded)
            .map_err(|e| ApiError::bad_request(e.describe("the request path")))?;
        let (reseller, call) = match segments.as_slice() {
            [first, reseller, rest @ ..] if first == "resellers" => (
                reseller,
                Call::route(self.method, rest).ok_or_else(unknown)?,
            ),
            _ => return Err(unknown()),
        };
        let params = self.params()?;
        let supplied_key = params.non_empty("apikey");
        let result = authenticate(credentials, reseller, supplied_key)
            .and_then(|()| call.execute(records, &params, now));
        result.map_err(|e| {
            let e = if e.debug.is_empty() {
                e.with_debug(call.describe())
            } else {
                e
            };
            // A very short wrong key is no secret worth mangling text for.
            e.scrubbed(&[supplied_key.filter(|k| k.len() >= 4).unwrap_or_default()])
        })
    }

    /// GET/DELETE parameters come from the query string, POST/PUT ones
    /// from the form body (as the vendor's page says); for POST/PUT the
    /// query string may still carry `apikey`.
    fn params(&self) -> Result<Params, ApiError> {
        if self.takes_body() {
            if !self.body.is_empty() && !self.content_type.is_some_and(is_form_content_type) {
                return Err(ApiError::bad_request(format!(
                    "POST and PUT parameters must be sent as application/x-www-form-urlencoded \
                     fields (Content-Type was {})",
                    self.content_type.unwrap_or("absent")
                )));
            }
            let mut params = Params::parse(self.body)
                .map_err(|e| ApiError::bad_request(e.describe("the form body")))?;
            // The key alone may also come from the query string.
            if params.non_empty("apikey").is_none() {
                if let Some(key) = self
                    .query()
                    .ok()
                    .and_then(|q| q.non_empty("apikey").map(str::to_owned))
                {
                    params.0.push(("apikey".to_owned(), key));
                }
            }
            Ok(params)
        } else {
            self.query()
        }
    }

    fn query(&self) -> Result<Params, ApiError> {
        Params::parse(self.raw_query.as_bytes())
            .map_err(|e| ApiError::bad_request(e.describe("the query string")))
    }

    fn takes_body(&self) -> bool {
        self.method == "POST" || self.method == "PUT"
    }
}

/// The reseller identifier and API key the sandbox accepts.
#[derive(Debug, Clone, Copy)]
pub struct Credentials<'a> {
    /// The reseller identifier in paths.
    pub reseller: &'a str,
    /// The API key.
    pub api_key: &'a str,
}

/// 401 for a wrong reseller identifier or a missing or wrong key.
fn authenticate(
    expected: Credentials<'_>,
    reseller: &str,
    key: Option<&str>,
) -> Result<(), ApiError> {
    if reseller != expected.reseller {
        return Err(ApiError::new(
            401,
            format!("authentication failed: unknown reseller {reseller}"),
        ));
    }
    match key {
        None => Err(ApiError::new(
            401,
            "authentication failed: parameter apikey is missing",
        )),
        Some(key) if key != expected.api_key => {
            Err(ApiError::new(401, "authentication failed: wrong API key"))
        }
        Some(_) => Ok(()),
    }
}
