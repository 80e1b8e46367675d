//! The streaming shape check of a response body: one pass over the bytes
//! as they arrive, on top of [`json_check`](crate::sansio::json_check)'s
//! state machine, that reads the envelope, checks each documented field
//! against its [`FieldKind`], notes the edits that give every field its
//! documented type, and finds drift.
//!
//! Nothing recurses and the body is not kept: the walk holds a frame per
//! *documented* container (the envelope, the payload, lists and their rows:
//! a few, whatever the body), skips anything else by counting brackets,
//! and copies only short values (codes, digit strings, the envelope's
//! texts), each up to a bound. Both faces run it: the npm face applies the
//! edits to the text `JSON.parse` reads, the Rust face to the bytes serde
//! reads.
//!
//! The rules (API.md, "Every documented field has its documented type"):
//! text and code fields hold strings (a number is kept as its exact text:
//! an edit quotes it); int fields hold whole numbers within `i64` (a digit
//! string, as [`parse_int`] reads it, and a whole number written with a
//! fraction or exponent become the plain number by an edit); list fields
//! hold arrays of objects; `null` and absent are fine; undocumented
//! members are kept as sent. A documented member twice in one object is
//! refused: `JSON.parse` keeps the last, serde refuses, so the faces would
//! disagree. When several fields are wrong, the message names the first in
//! the table's order (a list's rows in order), whatever the body's order.

use alloc::string::String;
use alloc::vec::Vec;

use crate::sansio::document::{parse_int, Kind};
use crate::sansio::drift::{Drift, DriftKind};
use crate::sansio::error::push_int;
use crate::sansio::json_check::{Checker, Malformed, Sink};
use crate::sansio::operation::{Field, FieldKind, Operation};

/// How much of an `errormessage` or `debugmessage` is kept (bytes as written).
pub const MESSAGE_BYTES: usize = 4096;
/// How much of a key, a code or a digit string is kept (bytes as written):
/// longer ones name no field, are codes of no set, are no number.
pub const SHORT_BYTES: usize = 256;
/// Most drifts noted for one response: a server that sends a million
/// undocumented names costs no more than this.
pub const MAX_DRIFTS: usize = 64;

/// How the body's bytes become the text whose `response` member is the
/// result: byte-range replacements, sorted, not overlapping. Usually
/// empty: then the body is parsed as it came.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    /// The edits, in order.
    pub edits: Vec<Edit>,
    /// Every byte of the body is ASCII (and so is every edit's text).
    pub ascii: bool,
}

/// One replacement of `start..end` (byte offsets in the body) by `text`.
/// A number in a text field is quoted by two insertions (`start == end`),
/// so that its text, however long, is never copied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    /// First byte replaced.
    pub start: usize,
    /// Just past the last byte replaced (`start` for an insertion).
    pub end: usize,
    /// What goes there.
    pub text: String,
}

impl Output {
    /// Whether the body is parsed as it came.
    pub fn is_empty(&self) -> bool {
        self.edits.is_empty()
    }

    /// `body` with the edits made.
    pub fn apply(&self, body: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(body.len() + self.edits.len() * 2);
        let mut copied = 0;
        for edit in &self.edits {
            if let Some(part) = body.get(copied..edit.start) {
                out.extend_from_slice(part);
            }
            out.extend_from_slice(edit.text.as_bytes());
            copied = copied.max(edit.end);
        }
        if let Some(rest) = body.get(copied..) {
            out.extend_from_slice(rest);
        }
        out
    }
}

/// What the envelope's `response` object said about the call.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Envelope {
    /// `status` is `"ERROR"`.
    pub error: bool,
    /// `statuscode`, a whole number or a digit string.
    pub statuscode: Option<i64>,
    /// `errormessage` (text, or a number's or boolean's text as written).
    pub errormessage: Option<String>,
    /// `debugmessage`, likewise.
    pub debugmessage: Option<String>,
}

/// The check of one response body: [`Shape::feed`] each chunk, then
/// [`Shape::finish`]; then read the verdict.
#[derive(Debug)]
pub struct Shape {
    checker: Checker,
    walk: Walk,
}

/// Whether `text` is one JSON value (RFC 8259, nesting at most
/// [`MAX_DEPTH`](crate::sansio::json_check::MAX_DEPTH) deep). Checked with the
/// response check's own sink, set to skip everything: an app then carries
/// one copy of the checker's code, not a second one for the plain check.
pub fn is_json(text: &[u8]) -> bool {
    let mut checker = Checker::new();
    let mut walk = Walk::new_skipping();
    checker.feed_to(text, &mut walk).is_ok() && checker.finish_to(&mut walk).is_ok()
}

impl Shape {
    /// A check of a response to `op`.
    pub fn new(op: &'static Operation) -> Self {
        Shape {
            checker: Checker::new(),
            walk: Walk::new(op),
        }
    }

    /// Checks the next chunk. An error is final: the body is not JSON.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<(), Malformed> {
        self.checker.feed_to(chunk, &mut self.walk)
    }

    /// After the last chunk: whether the whole body was one JSON value.
    pub fn finish(&mut self) -> Result<(), Malformed> {
        self.checker.finish_to(&mut self.walk)
    }

    /// The envelope: `None` when the body has no `{"response": {...}}`.
    pub fn envelope(&self) -> Option<&Envelope> {
        self.walk.envelope.as_ref()
    }

    /// Why the payload does not have its documented shape (the message of
    /// a `decode` error: `accounts[1].domain: expected text`), if it does not.
    pub fn problem(&self) -> Option<&str> {
        self.walk
            .problem
            .as_ref()
            .map(|(_, message)| message.as_str())
    }

    /// The edits that give every field its documented type.
    pub fn output(&mut self) -> Output {
        Output {
            edits: core::mem::take(&mut self.walk.edits),
            ascii: self.checker.ascii(),
        }
    }

    /// What the payload holds that the docs do not name, each once: a
    /// `statuscode` other than 0 first, then in the body's order.
    pub fn drifts(&self) -> Vec<Drift> {
        let mut out = Vec::new();
        let code = self.walk.envelope.as_ref().and_then(|e| e.statuscode);
        if let Some(code) = code.filter(|c| *c != 0) {
            let mut value = String::new();
            push_int(&mut value, code);
            out.push(Drift {
                path: String::from("statuscode"),
                what: DriftKind::Statuscode,
                value: Some(value),
            });
        }
        out.extend(self.walk.drifts.iter().cloned());
        out
    }
}

/// The envelope members read in the payload, besides its fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Env {
    Status,
    Statuscode,
    Errormessage,
    Debugmessage,
}

/// A documented container being read.
#[derive(Clone, Copy, Debug)]
enum Place {
    /// The top-level object (the envelope).
    Top,
    /// The `response` object, or a row of a list: these fields.
    Object {
        fields: &'static [Field],
        /// The `response` object itself (its envelope members are read).
        payload: bool,
    },
    /// A documented list: its field (index in the enclosing object's
    /// table, and name), the rows' fields, and the next row's index.
    List {
        field: u32,
        name: &'static str,
        rows: &'static [Field],
        next: u32,
    },
}

#[derive(Clone, Copy, Debug)]
struct Frame {
    place: Place,
    /// The nesting depth inside this container.
    depth: u32,
    /// The documented members seen in this object (by table index; no
    /// table is wider, a test says so, and a `u64` shifts in one step).
    seen: u64,
    /// Where the next key is looked for first: members usually come in
    /// the table's order.
    hint: u32,
}

/// What the value about to begin is, for the frame that holds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Member {
    /// Nothing to check: skipped.
    Ignored,
    /// The envelope's `response` member.
    Response,
    /// A member of a documented object: its field (table index) and the
    /// envelope member it also is.
    Field(Option<u32>, Option<Env>),
    /// An element of a documented list.
    Row,
}

/// A scalar being read: why, where it started, its bytes (up to a bound).
#[derive(Debug)]
struct Scalar {
    kind: Kind,
    start: u64,
    field: Option<(u32, FieldKind)>,
    env: Option<Env>,
    /// How many of its bytes are kept (in `Walk::value`).
    limit: usize,
    long: bool,
    number: Whole,
}

/// The sink: where the walk is, and what it found.
#[derive(Debug)]
struct Walk {
    /// The fields of the operation's result.
    fields: &'static [Field],
    /// Open containers.
    depth: u32,
    /// Skipping the container opened at this depth (and all inside it).
    skip: Option<u32>,
    frames: Vec<Frame>,
    /// The key being read (when it matters), then the member it names.
    key: [u8; SHORT_BYTES],
    key_len: usize,
    /// Whether a key that matters is being read into `key`.
    in_key: bool,
    /// Whether the key or scalar being read has an escape (`\\`).
    escaped: bool,
    key_long: bool,
    member: Member,
    scalar: Option<Scalar>,
    /// The kept bytes of the scalar being read (reused: no allocation a value).
    value: Vec<u8>,
    /// Whether the first value was seen (the top-level one).
    started: bool,
    /// Whether the token being read is a scalar (its end is no container's).
    in_scalar: bool,
    /// The last `response` member's envelope, when it is an object.
    envelope: Option<Envelope>,
    /// The first problem in the table's order: its sort key and message.
    problem: Option<(Vec<u32>, String)>,
    edits: Vec<Edit>,
    drifts: Vec<Drift>,
}

impl Walk {
    fn new(op: &'static Operation) -> Self {
        Walk::over(op.fields)
    }

    /// A walk that skips the whole text: the plain syntax check.
    fn new_skipping() -> Self {
        Walk {
            skip: Some(u32::MAX),
            ..Walk::over(&[])
        }
    }

    /// A walk at the start of a text whose payload has these `fields`.
    fn over(fields: &'static [Field]) -> Self {
        Walk {
            fields,
            depth: 0,
            skip: None,
            frames: Vec::new(),
            key: [0; SHORT_BYTES],
            key_len: 0,
            in_key: false,
            escaped: false,
            key_long: false,
            member: Member::Ignored,
            scalar: None,
            value: Vec::new(),
            started: false,
            in_scalar: false,
            envelope: None,
            problem: None,
            edits: Vec::new(),
            drifts: Vec::new(),
        }
    }

    /// The documented container the next token is directly in, if any.
    #[inline(always)]
    fn here(&mut self) -> Option<&mut Frame> {
        if self.skip.is_some() {
            return None;
        }
        let depth = self.depth;
        self.frames.last_mut().filter(|f| f.depth == depth)
    }

    /// The path of the current position, rendered: `accounts[1].` style
    /// prefixes, with row indexes (`indexes`) or without (drift: `[]`).
    fn path(&self, indexes: bool, out: &mut String) {
        for frame in &self.frames {
            if let Place::List { name, next, .. } = frame.place {
                out.push_str(name);
                out.push('[');
                if indexes {
                    push_int(out, i64::from(next.saturating_sub(1)));
                }
                out.push_str("].");
            }
        }
    }

    /// The sort key of the current position (field indexes and row indexes).
    fn order(&self) -> Vec<u32> {
        let mut key = Vec::new();
        for frame in &self.frames {
            if let Place::List { field, next, .. } = frame.place {
                key.push(field);
                key.push(next.saturating_sub(1));
            }
        }
        key
    }

    /// Notes that the field `name` (table index `field`, `None` for a row
    /// itself) is wrong: `what`.
    fn wrong(&mut self, field: Option<(u32, &str)>, what: &str) {
        let mut order = self.order();
        let mut message = String::new();
        self.path(true, &mut message);
        match field {
            Some((index, name)) => {
                order.push(index);
                message.push_str(name);
            }
            // A row: the path is `list[i].`; drop the dot.
            None => {
                message.pop();
            }
        }
        let earlier = match &self.problem {
            Some((known, _)) => order < *known,
            None => true,
        };
        if earlier {
            message.push_str(": ");
            message.push_str(what);
            self.problem = Some((order, message));
        }
    }

    fn drift(&mut self, name: &str, what: DriftKind, value: Option<String>) {
        let mut path = String::new();
        self.path(false, &mut path);
        path.push_str(name);
        let drift = Drift { path, what, value };
        if self.drifts.len() < MAX_DRIFTS && !self.drifts.contains(&drift) {
            self.drifts.push(drift);
        }
    }

    fn edit(&mut self, start: u64, end: u64, text: &str) {
        let (Ok(start), Ok(end)) = (usize::try_from(start), usize::try_from(end)) else {
            return;
        };
        self.edits.push(Edit {
            start,
            end,
            text: String::from(text),
        });
    }

    /// The member the key just read names in the current frame: the key
    /// as kept, or `unescaped` when it had escapes. Compared as bytes in
    /// place, made text only for a drift's path.
    fn member_of(&mut self, unescaped: Option<&[u8]>) -> Member {
        let Some((place, hint)) = self.here().map(|f| (f.place, f.hint)) else {
            return Member::Ignored;
        };
        let kept = self.key.get(..self.key_len).unwrap_or_default();
        let key = unescaped.unwrap_or(kept);
        let (fields, payload) = match place {
            Place::Top if key == b"response" => return Member::Response,
            Place::Object { fields, payload } => (fields, payload),
            _ => return Member::Ignored,
        };
        let env = if payload {
            match key {
                b"status" => Some(Env::Status),
                b"statuscode" => Some(Env::Statuscode),
                b"errormessage" => Some(Env::Errormessage),
                b"debugmessage" => Some(Env::Debugmessage),
                _ => None,
            }
        } else {
            None
        };
        // Looked for from the hint on, then before it (names are unique in
        // a table): one comparison for a member in the table's order.
        let mut at = usize::try_from(hint).unwrap_or(0);
        let mut found = None;
        for _ in 0..fields.len() {
            if at >= fields.len() {
                at = 0;
            }
            if let Some(field) = fields.get(at).filter(|f| same(f.name.as_bytes(), key)) {
                found = Some((field, at));
                break;
            }
            at += 1;
        }
        let index = found.and_then(|(f, i)| Some((u32::try_from(i).ok()?, f.name)));
        // `status` and `statuscode`: what a payload has besides its
        // documented fields without drift.
        let known = index.is_some() || matches!(env, Some(Env::Status | Env::Statuscode));
        let undocumented = (!known).then(|| String::from_utf8_lossy(key).into_owned());
        if let Some((i, name)) = index {
            if self.first_time(i) {
                self.wrong(Some((i, name)), "the member appears twice");
            }
        }
        if let Some(name) = undocumented {
            self.drift(&name, DriftKind::Field, None);
        }
        let index = index.map(|(i, _)| i);
        Member::Field(index, env)
    }

    /// The usual key of a row: its next documented member, in the
    /// table's order and not seen before. Its index, noted as seen, or
    /// `None`: then [`Walk::member_of`] decides (the same answer, found
    /// the long way).
    #[inline(never)]
    fn next_in_order(&mut self, key: &[u8]) -> Option<u32> {
        let frame = self.here()?;
        let Place::Object {
            fields,
            payload: false,
        } = frame.place
        else {
            return None;
        };
        let index = frame.hint;
        let field = fields.get(usize::try_from(index).ok()?)?;
        let bit = 1u64.checked_shl(index)?;
        if frame.seen & bit != 0 || !same(field.name.as_bytes(), key) {
            return None;
        }
        frame.seen |= bit;
        frame.hint = index.saturating_add(1);
        Some(index)
    }

    /// [`Walk::member_of`] a key read whole, stored.
    #[inline(never)]
    fn name_member(&mut self, key: &[u8]) {
        self.member = self.member_of(Some(key));
    }

    /// Notes member `index` of the current object as seen; `true` when
    /// it was seen before. The next key is looked up at the following
    /// index first.
    #[inline(always)]
    fn first_time(&mut self, index: u32) -> bool {
        let bit = 1u64.checked_shl(index).unwrap_or(0);
        match self.here() {
            Some(frame) => {
                let twice = frame.seen & bit != 0;
                frame.seen |= bit;
                frame.hint = index.saturating_add(1);
                twice
            }
            None => false,
        }
    }

    /// The field of the current object at table index `index`.
    #[inline(always)]
    fn field(&self, index: u32) -> Option<Field> {
        let frame = self.frames.last()?;
        match frame.place {
            Place::Object { fields, .. } => fields.get(usize::try_from(index).ok()?).copied(),
            _ => None,
        }
    }

    /// A container opens as the value of `member`.
    fn open(&mut self, kind: Kind) {
        let member = core::mem::replace(&mut self.member, Member::Ignored);
        let object = kind == Kind::Object;
        let place = match member {
            Member::Ignored if !self.started => object.then_some(Place::Top),
            Member::Ignored => None,
            Member::Response => {
                // The last `response` counts, as for `JSON.parse`.
                if self.first_time(0) {
                    self.wrong(Some((0, "response")), "the member appears twice");
                }
                self.envelope = object.then(Envelope::default);
                object.then_some(Place::Object {
                    fields: self.fields,
                    payload: true,
                })
            }
            Member::Field(index, _) => {
                let field = index.and_then(|i| Some((i, self.field(i)?)));
                match field {
                    Some((
                        i,
                        Field {
                            name,
                            kind: FieldKind::List(rows),
                        },
                    )) if !object => Some(Place::List {
                        field: i,
                        name,
                        rows,
                        next: 0,
                    }),
                    Some((i, field)) => {
                        let what = match field.kind {
                            FieldKind::Text | FieldKind::Code(_) => "expected text",
                            FieldKind::Int => "expected a whole number",
                            FieldKind::List(_) => "expected a list",
                        };
                        self.wrong(Some((i, field.name)), what);
                        None
                    }
                    None => None,
                }
            }
            Member::Row if object => {
                let rows = match self.frames.last().map(|f| f.place) {
                    Some(Place::List { rows, .. }) => rows,
                    _ => &[],
                };
                Some(Place::Object {
                    fields: rows,
                    payload: false,
                })
            }
            Member::Row => {
                self.wrong(None, "expected an object");
                None
            }
        };
        self.started = true;
        self.depth = self.depth.saturating_add(1);
        match place {
            Some(place) => self.frames.push(Frame {
                place,
                depth: self.depth,
                seen: 0,
                hint: 0,
            }),
            None => self.skip = Some(self.depth),
        }
    }

    /// A scalar starts as the value of `member`.
    fn scalar(&mut self, kind: Kind, at: u64) {
        let member = core::mem::replace(&mut self.member, Member::Ignored);
        self.started = true;
        let (field, env) = match member {
            Member::Field(index, env) => (index.and_then(|i| Some((i, self.field(i)?.kind))), env),
            Member::Row => {
                self.wrong(None, "expected an object");
                return;
            }
            Member::Response => {
                if self.first_time(0) {
                    self.wrong(Some((0, "response")), "the member appears twice");
                }
                self.envelope = None;
                return;
            }
            Member::Ignored => return,
        };
        // Most values: text in a text field, or null, not an envelope
        // member: nothing to check at their end.
        let plain = matches!(
            (field, kind),
            (_, Kind::Null) | (None, _) | (Some((_, FieldKind::Text)), Kind::Text)
        );
        if plain && env.is_none() {
            return;
        }
        // Only what is read is kept: codes, digit strings, the envelope's
        // members, numbers (their text for a code); a text field's string
        // is left alone.
        let needed = env.is_some()
            || kind == Kind::Number
            || matches!(field, Some((_, FieldKind::Code(_) | FieldKind::Int)));
        let limit = match env {
            Some(Env::Errormessage | Env::Debugmessage) => MESSAGE_BYTES,
            _ if needed => SHORT_BYTES,
            _ => 0,
        };
        self.value.clear();
        self.escaped = false;
        self.scalar = Some(Scalar {
            kind,
            start: at,
            field,
            env,
            limit,
            long: false,
            number: Whole::default(),
        });
    }

    /// The scalar ends just before `at`: check it, note its edits.
    fn scalar_end(&mut self, scalar: Scalar, bytes: &[u8], at: u64) {
        let Scalar {
            kind,
            start,
            field,
            env,
            long,
            number,
            ..
        } = scalar;
        // The text as JSON means it (strings unescaped), when short enough.
        let text = || -> Option<String> {
            if long {
                return None;
            }
            match kind {
                Kind::Text => unescape(bytes),
                Kind::Number => String::from_utf8(bytes.to_vec()).ok(),
                Kind::Bool if at.saturating_sub(start) == 4 => Some(String::from("true")),
                Kind::Bool => Some(String::from("false")),
                _ => None,
            }
        };
        if let Some(env) = env {
            if let Some(envelope) = self.envelope.as_mut() {
                match env {
                    Env::Status => {
                        envelope.error = kind == Kind::Text && text().as_deref() == Some("ERROR")
                    }
                    Env::Statuscode => {
                        envelope.statuscode = match kind {
                            Kind::Text => text().as_deref().and_then(parse_int),
                            Kind::Number if number.plain => number.value(),
                            _ => None,
                        }
                    }
                    Env::Errormessage => envelope.errormessage = text(),
                    Env::Debugmessage => envelope.debugmessage = text(),
                }
            }
        }
        let Some((index, kind_of_field)) = field else {
            return;
        };
        let name = self.field(index).map_or("", |f| f.name);
        match (kind_of_field, kind) {
            (_, Kind::Null) => {}
            (FieldKind::Text, Kind::Text) => {}
            (FieldKind::Code(codes), Kind::Text | Kind::Number) => {
                if kind == Kind::Number {
                    self.edit(start, start, "\"");
                    self.edit(at, at, "\"");
                }
                // A code written plainly is compared as bytes, not copied.
                let plain = !long && !self.escaped;
                if plain && codes.iter().any(|c| c.as_bytes() == bytes) {
                    return;
                }
                let value = text();
                let known = value.as_deref().is_some_and(|v| codes.contains(&v));
                if !known {
                    let mut shown = value.unwrap_or_default();
                    if long {
                        shown = String::from_utf8_lossy(bytes).into_owned();
                    }
                    self.drift(name, DriftKind::Code, Some(shown));
                }
            }
            (FieldKind::Text, Kind::Number) => {
                self.edit(start, start, "\"");
                self.edit(at, at, "\"");
            }
            (FieldKind::Text | FieldKind::Code(_), _) => {
                self.wrong(Some((index, name)), "expected text");
            }
            (FieldKind::Int, Kind::Number) => match number.value() {
                Some(_) if number.plain => {}
                Some(n) => {
                    let mut plain = String::new();
                    push_int(&mut plain, n);
                    self.edit(start, at, &plain);
                }
                None => self.wrong(Some((index, name)), "expected a whole number"),
            },
            (FieldKind::Int, Kind::Text) => match text().as_deref().and_then(parse_int) {
                Some(n) => {
                    let mut plain = String::new();
                    push_int(&mut plain, n);
                    self.edit(start, at, &plain);
                }
                None => self.wrong(Some((index, name)), "expected a whole number"),
            },
            (FieldKind::Int, _) => self.wrong(Some((index, name)), "expected a whole number"),
            (FieldKind::List(_), _) => self.wrong(Some((index, name)), "expected a list"),
        }
    }
}

impl Sink for Walk {
    fn begin(&mut self, kind: Kind, at: u64) {
        if !matches!(kind, Kind::Object | Kind::List) {
            self.in_scalar = true;
        }
        if self.skip.is_some() {
            if matches!(kind, Kind::Object | Kind::List) {
                self.depth = self.depth.saturating_add(1);
            }
            return;
        }
        // An element of a documented list.
        if let Some(Frame {
            place: Place::List { next, .. },
            ..
        }) = self.here()
        {
            *next = next.saturating_add(1);
            self.member = Member::Row;
        }
        match kind {
            Kind::Object | Kind::List => self.open(kind),
            _ => self.scalar(kind, at),
        }
    }

    fn end(&mut self, at: u64) {
        if core::mem::take(&mut self.in_scalar) {
            if let Some(scalar) = self.scalar.take() {
                let bytes = core::mem::take(&mut self.value);
                self.scalar_end(scalar, &bytes, at);
                self.value = bytes;
            }
            return;
        }
        // A container ends.
        if self.skip == Some(self.depth) {
            self.skip = None;
        } else if self.skip.is_none() && self.frames.last().map(|f| f.depth) == Some(self.depth) {
            self.frames.pop();
        }
        self.depth = self.depth.saturating_sub(1);
    }

    fn key_begin(&mut self) {
        self.key_long = false;
        self.escaped = false;
        self.key_len = 0;
        self.in_key = self.here().is_some();
    }

    fn key_end(&mut self) {
        if !core::mem::take(&mut self.in_key) {
            self.member = Member::Ignored;
            return;
        }
        // The common key, written without escapes, is read in place; one
        // too long to be a documented name is told by its start.
        self.member = if self.key_long || !self.escaped {
            self.member_of(None)
        } else {
            match unescape(self.key.get(..self.key_len).unwrap_or_default()) {
                Some(name) => self.member_of(Some(name.as_bytes())),
                None => Member::Ignored,
            }
        };
    }

    fn key(&mut self, whole: &[u8]) {
        // Compared in place; a long one told by its start, as when kept.
        // Each path stores the member itself: a value merged from both
        // would be built aside and copied, and in wasm that copy stalls.
        match self.next_in_order(whole) {
            Some(index) => self.member = Member::Field(Some(index), None),
            None => self.name_member(whole.get(..SHORT_BYTES).unwrap_or(whole)),
        }
    }

    fn wants_text(&self) -> bool {
        self.in_key || self.scalar.as_ref().is_some_and(|s| s.limit > 0)
    }

    /// A string with nothing to check: skipped, or a text field's (or an
    /// undocumented member's) value, not an envelope member; never a
    /// documented list's element (a row must be an object). What
    /// [`Walk::scalar`] would keep nothing of.
    #[inline(always)]
    fn quiet(&mut self) -> bool {
        if self.skip.is_some() {
            return true;
        }
        let in_list = self
            .frames
            .last()
            .is_some_and(|f| f.depth == self.depth && matches!(f.place, Place::List { .. }));
        let quiet = self.started
            && !in_list
            && match self.member {
                Member::Ignored | Member::Field(None, None) => true,
                Member::Field(Some(i), None) => {
                    matches!(self.field(i).map(|f| f.kind), Some(FieldKind::Text))
                }
                Member::Field(_, Some(_)) | Member::Response | Member::Row => false,
            };
        if quiet {
            self.member = Member::Ignored;
        }
        quiet
    }

    fn text(&mut self, b: u8) {
        self.escaped |= b == b'\\';
        self.text_run(core::slice::from_ref(&b));
    }

    fn text_run(&mut self, bytes: &[u8]) {
        if self.in_key {
            let room = SHORT_BYTES.saturating_sub(self.key_len);
            let fits = bytes.len().min(room);
            let slots = self.key.get_mut(self.key_len..self.key_len + fits);
            if let (Some(slots), Some(part)) = (slots, bytes.get(..fits)) {
                slots.copy_from_slice(part);
                self.key_len += fits;
            }
            self.key_long |= bytes.len() > room;
            return;
        }
        if let Some(scalar) = self.scalar.as_mut() {
            if scalar.kind == Kind::Number {
                bytes.iter().for_each(|&b| scalar.number.byte(b));
            }
            keep(&mut self.value, scalar.limit, bytes, &mut scalar.long);
        }
    }
}

/// Whether two short byte strings are equal: eight bytes at a time, in a
/// loop the compiler keeps inline (a `memcmp` call a key costs more in wasm).
#[inline(always)]
fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let (mut a, mut b) = (a, b);
    while let (Some((x, a_tail)), Some((y, b_tail))) =
        (a.split_first_chunk::<8>(), b.split_first_chunk::<8>())
    {
        if u64::from_ne_bytes(*x) != u64::from_ne_bytes(*y) {
            return false;
        }
        (a, b) = (a_tail, b_tail);
    }
    // The tail, a byte at a time (an iterator adapter here is a call in wasm).
    let mut at = 0;
    while let (Some(x), Some(y)) = (a.get(at), b.get(at)) {
        if x != y {
            return false;
        }
        at += 1;
    }
    true
}

/// Appends `bytes` to `kept` up to `limit` bytes in all; `long` when some
/// did not fit.
fn keep(kept: &mut Vec<u8>, limit: usize, bytes: &[u8], long: &mut bool) {
    let room = limit.saturating_sub(kept.len());
    if bytes.len() > room {
        kept.extend_from_slice(bytes.get(..room).unwrap_or_default());
        *long = true;
    } else {
        kept.extend_from_slice(bytes);
    }
}

/// A number token read digit by digit: whether it is a whole number within
/// `i64`, exactly (no float rounding), in bounded memory.
#[derive(Clone, Copy, Debug)]
struct Whole {
    negative: bool,
    /// Significant digits (first to last non-zero), while they fit.
    digits: u64,
    /// Zeros read after the last non-zero digit.
    zeros: u64,
    /// More significant digits than an `i64` has.
    wide: bool,
    /// Digits read after the point.
    fraction: u64,
    /// In the fraction, in the exponent.
    part: u8,
    exponent: u64,
    exponent_negative: bool,
    /// Written as a plain integer (no fraction, no exponent, not `-0`).
    plain: bool,
}

impl Default for Whole {
    fn default() -> Self {
        Whole {
            negative: false,
            digits: 0,
            zeros: 0,
            wide: false,
            fraction: 0,
            part: 0,
            exponent: 0,
            exponent_negative: false,
            plain: true,
        }
    }
}

impl Whole {
    fn byte(&mut self, b: u8) {
        match (self.part, b) {
            (0, b'-') => self.negative = true,
            (0 | 1, b'0'..=b'9') => {
                if self.part == 1 {
                    self.fraction = self.fraction.saturating_add(1);
                }
                let d = u64::from(b - b'0');
                if d == 0 {
                    if self.digits != 0 {
                        self.zeros = self.zeros.saturating_add(1);
                    }
                } else {
                    let scaled = 10u64
                        .checked_pow(
                            u32::try_from(self.zeros.saturating_add(1)).unwrap_or(u32::MAX),
                        )
                        .and_then(|p| self.digits.checked_mul(p))
                        .and_then(|n| n.checked_add(d));
                    match scaled {
                        Some(n) => self.digits = n,
                        None => self.wide = true,
                    }
                    self.zeros = 0;
                }
            }
            (0, b'.') => {
                self.part = 1;
                self.plain = false;
            }
            (0 | 1, b'e' | b'E') => {
                self.part = 2;
                self.plain = false;
            }
            (2, b'-') => self.exponent_negative = true,
            (2, b'0'..=b'9') => {
                self.exponent = self
                    .exponent
                    .saturating_mul(10)
                    .saturating_add(u64::from(b - b'0'))
                    .min(1 << 40);
            }
            _ => {}
        }
    }

    /// The value, when it is whole and within `i64`.
    fn value(&self) -> Option<i64> {
        if self.wide {
            return None;
        }
        if self.digits == 0 {
            return Some(0);
        }
        // value = digits × 10^(zeros − fraction ± exponent)
        let exponent = i128::from(self.exponent);
        let scale = i128::from(self.zeros) - i128::from(self.fraction)
            + if self.exponent_negative {
                -exponent
            } else {
                exponent
            };
        if !(0..=19).contains(&scale) {
            return None;
        }
        // In u64: an i128 product would bring a 128-bit multiply into every app.
        let magnitude = self
            .digits
            .checked_mul(10u64.checked_pow(u32::try_from(scale).ok()?)?)?;
        if self.negative {
            0i64.checked_sub_unsigned(magnitude)
        } else {
            i64::try_from(magnitude).ok()
        }
    }
}

/// The text of a JSON string's content as written (escapes decoded);
/// `None` when it is not (a lone surrogate, a cut escape).
fn unescape(raw: &[u8]) -> Option<String> {
    if !raw.contains(&b'\\') {
        return String::from_utf8(raw.to_vec()).ok();
    }
    let raw = core::str::from_utf8(raw).ok()?;
    crate::sansio::money::unescape(raw)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generated::ops;

    #[test]
    fn every_table_fits_the_seen_bits() {
        fn widest(fields: &[Field]) -> usize {
            fields
                .iter()
                .map(|f| match f.kind {
                    FieldKind::List(rows) => widest(rows),
                    _ => 0,
                })
                .fold(fields.len(), usize::max)
        }
        for op in ops::ALL {
            assert!(widest(op.fields) <= 64, "{}", op.name);
        }
    }

    fn check(op: &'static Operation, body: &str) -> Shape {
        let mut shape = Shape::new(op);
        assert_eq!(shape.feed(body.as_bytes()), Ok(()), "{body}");
        assert_eq!(shape.finish(), Ok(()), "{body}");
        shape
    }

    #[test]
    fn whole_numbers_are_read_exactly() {
        let whole = |token: &str| {
            let mut w = Whole::default();
            token.bytes().for_each(|b| w.byte(b));
            (w.value(), w.plain)
        };
        assert_eq!(whole("0"), (Some(0), true));
        assert_eq!(whole("-12"), (Some(-12), true));
        assert_eq!(whole("120e-1"), (Some(12), false));
        assert_eq!(whole("0.00"), (Some(0), false));
        assert_eq!(whole("1.0000000000000000000000001"), (None, false));
        assert_eq!(
            whole("100000000000000000000000000000e-28"),
            (Some(10), false)
        );
        assert_eq!(whole("1E+2"), (Some(100), false));
        assert_eq!(whole("0.5"), (None, false));
        assert_eq!(whole("1e-99999999999999999999"), (None, false));
        // The edges of i64, written plainly and with an exponent.
        assert_eq!(whole("9223372036854775807"), (Some(i64::MAX), true));
        assert_eq!(whole("9223372036854775808"), (None, true));
        assert_eq!(whole("-9223372036854775808"), (Some(i64::MIN), true));
        assert_eq!(whole("-9223372036854775809"), (None, true));
        assert_eq!(whole("-92233720368547758.08e2"), (Some(i64::MIN), false));
        assert_eq!(whole("9e18"), (Some(9_000_000_000_000_000_000), false));
        assert_eq!(whole("1e19"), (None, false));
        assert_eq!(whole("-1e19"), (None, false));
        assert_eq!(whole("18446744073709551615e1"), (None, false));
    }

    #[test]
    fn keys_written_with_escapes_are_the_same_keys() {
        let mut shape = check(
            &ops::LIST_ACCOUNT_ADDONS,
            r#"{"respons\u0065":{"addons":[{"pric\u0065":99.90,"\u0070lan":1}]}}"#,
        );
        assert!(shape.envelope().is_some());
        assert_eq!(shape.problem(), None);
        let output = shape.output();
        assert_eq!(output.edits.len(), 2, "{output:?}");
        assert_eq!(
            shape.drifts(),
            vec![Drift {
                path: String::from("addons[].plan"),
                what: DriftKind::Field,
                value: None
            }]
        );
    }

    #[test]
    fn edits_apply_in_order_and_insertions_keep_the_text() {
        let output = Output {
            edits: alloc::vec![
                Edit {
                    start: 1,
                    end: 1,
                    text: String::from("\"")
                },
                Edit {
                    start: 3,
                    end: 3,
                    text: String::from("\"")
                },
                Edit {
                    start: 4,
                    end: 9,
                    text: String::from("401")
                },
            ],
            ascii: true,
        };
        assert_eq!(output.apply(b"[12,\"401\"]"), b"[\"12\",401]".to_vec());
        assert!(!output.is_empty() && Output::default().is_empty());
    }

    #[test]
    fn long_values_are_kept_to_a_bound() {
        let long = "x".repeat(100_000);
        let body =
            format!(r#"{{"response":{{"status":"ERROR","errormessage":"{long}","{long}":1}}}}"#);
        let shape = check(&ops::GET_ACCOUNT, &body);
        let envelope = shape.envelope().cloned().unwrap_or_default();
        assert!(envelope.error);
        assert_eq!(
            envelope.errormessage, None,
            "longer than {MESSAGE_BYTES}: not kept"
        );
        let paths: Vec<usize> = shape.drifts().iter().map(|d| d.path.len()).collect();
        assert!(paths.contains(&SHORT_BYTES), "{paths:?}");
        // A key read whole in one chunk or in pieces across chunks: the same drift.
        for cut in [60, body.len() - 20] {
            let mut pieces = Shape::new(&ops::GET_ACCOUNT);
            let (a, b) = body.as_bytes().split_at(cut);
            assert!(pieces.feed(a).is_ok() && pieces.feed(b).is_ok() && pieces.finish().is_ok());
            assert_eq!(pieces.drifts(), shape.drifts(), "cut at {cut}");
        }
    }

    /// A row's members in the table's order take the short way (no search,
    /// no call per string); every other order, a repeat and a string where
    /// a row belongs still get the long way's answer.
    #[test]
    fn rows_in_the_tables_order_and_out_of_it_give_the_same_verdicts() {
        let op = &ops::LIST_ACCOUNTS;
        let row = r#"{"customer_email":"a@b.c","account_id":"1","domain":"d","customer_name":"J\u00f6 \"x\"","company":"é","status":"a"}"#;
        let reversed = r#"{"status":"a","company":"é","customer_name":"Jo","domain":"d","account_id":"1","customer_email":"a@b.c"}"#;
        for rows in [
            alloc::format!("{row},{row}"),
            alloc::format!("{reversed},{row}"),
            alloc::format!("{row},{reversed}"),
        ] {
            let body = alloc::format!(r#"{{"response":{{"accounts":[{rows}]}}}}"#);
            let shape = check(op, &body);
            assert_eq!(shape.problem(), None, "{body}");
            assert!(shape.drifts().is_empty(), "{body}");
        }
        for (rows, problem) in [
            (
                r#"{"customer_email":"a","account_id":"1","account_id":"2"}"#,
                "accounts[0].account_id: the member appears twice",
            ),
            (
                r#"{"customer_email":"a","account_id":"1","customer_email":"b"}"#,
                "accounts[0].customer_email: the member appears twice",
            ),
            (
                r#"{"account_id":"1","customer_email":"a","account_id":"2"}"#,
                "accounts[0].account_id: the member appears twice",
            ),
            (r#"{"company":"x"},"y""#, "accounts[1]: expected an object"),
            (r#"{"customer_email":"a","account_id":7}"#, ""),
            (
                r#"{"customer_email":"a","account_id":["x"]}"#,
                "accounts[0].account_id: expected text",
            ),
        ] {
            let body = alloc::format!(r#"{{"response":{{"accounts":[{rows}]}}}}"#);
            let mut shape = check(op, &body);
            assert_eq!(shape.problem().unwrap_or(""), problem, "{body}");
            if problem.is_empty() {
                assert_eq!(
                    shape.output().edits.len(),
                    2,
                    "a number in a text field is quoted"
                );
            }
        }
        // A code read after quiet strings still counts; a name the table
        // has not, in the next one's place, is drift.
        let body =
            r#"{"response":{"accounts":[{"customer_email":"a","status":"zz","domainx":"d"}]}}"#;
        let drifts = check(op, body).drifts();
        let whats: Vec<_> = drifts.iter().map(|d| (d.path.as_str(), d.what)).collect();
        assert_eq!(
            whats,
            [
                ("accounts[].status", DriftKind::Code),
                ("accounts[].domainx", DriftKind::Field)
            ]
        );
    }
}
