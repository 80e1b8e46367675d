//! A JSON syntax check (RFC 8259) for parameters documented as JSON text,
//! so that a malformed `extra_params` is refused before it is sent.

/// Recursive-descent checker over bytes; depth-limited so hostile input
/// cannot exhaust the stack.
pub struct Checker<'a> {
    bytes: &'a [u8],
    pos: usize,
    depth: u32,
}

const MAX_DEPTH: u32 = 128;

impl<'a> Checker<'a> {
    /// A checker at the start of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Checker {
            bytes,
            pos: 0,
            depth: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn literal(&mut self, word: &[u8]) -> bool {
        let end = self.pos + word.len();
        if self.bytes.get(self.pos..end) == Some(word) {
            self.pos = end;
            true
        } else {
            false
        }
    }

    fn digits(&mut self) -> bool {
        let start = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        self.pos > start
    }

    fn number(&mut self) -> bool {
        self.eat(b'-');
        if !self.eat(b'0') && !self.digits() {
            return false;
        }
        if self.eat(b'.') && !self.digits() {
            return false;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if !self.eat(b'+') {
                self.eat(b'-');
            }
            return self.digits();
        }
        true
    }

    fn string(&mut self) -> bool {
        if !self.eat(b'"') {
            return false;
        }
        while let Some(b) = self.peek() {
            self.pos += 1;
            match b {
                b'"' => return true,
                b'\\' => match self.peek() {
                    Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => self.pos += 1,
                    Some(b'u') => {
                        self.pos += 1;
                        for _ in 0..4 {
                            if !matches!(self.peek(), Some(c) if c.is_ascii_hexdigit()) {
                                return false;
                            }
                            self.pos += 1;
                        }
                    }
                    _ => return false,
                },
                0..=0x1f => return false,
                _ => {}
            }
        }
        false
    }

    fn sequence(&mut self, close: u8, object: bool) -> bool {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return false;
        }
        self.skip_ws();
        if self.eat(close) {
            self.depth -= 1;
            return true;
        }
        loop {
            if object {
                self.skip_ws();
                if !self.string() {
                    return false;
                }
                self.skip_ws();
                if !self.eat(b':') {
                    return false;
                }
            }
            if !self.value() {
                return false;
            }
            self.skip_ws();
            if self.eat(close) {
                self.depth -= 1;
                return true;
            }
            if !self.eat(b',') {
                return false;
            }
        }
    }

    fn value(&mut self) -> bool {
        self.skip_ws();
        match self.peek() {
            Some(b'{') => {
                self.pos += 1;
                self.sequence(b'}', true)
            }
            Some(b'[') => {
                self.pos += 1;
                self.sequence(b']', false)
            }
            Some(b'"') => self.string(),
            Some(b't') => self.literal(b"true"),
            Some(b'f') => self.literal(b"false"),
            Some(b'n') => self.literal(b"null"),
            Some(_) => self.number(),
            None => false,
        }
    }

    /// Whether the whole input is one JSON value.
    pub fn document(&mut self) -> bool {
        let ok = self.value();
        self.skip_ws();
        ok && self.pos == self.bytes.len()
    }
}
