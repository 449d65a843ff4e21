//! Local storage's JSON, written and read without serde_json.
//!
//! The text is exactly what `serde_json::to_string` writes for the same value (a test checks
//! it on a busy desk), so stored data, its key and every reader of it are unchanged. What
//! changes is the WebAssembly: serde_json's parser is generic over the reader and inlined
//! into every stored type's visitor, which made reading the desk about an eighth of the
//! module. Here the scanning is done by plain, non-generic functions, and each kind is read
//! only in the form it is written: a struct from an object whose keys are its fields, each
//! once and in declaration order (only trailing defaulted fields may be left out), which is
//! how this module and serde_json write it. Its values reach serde's derived reader as a
//! sequence, and variants as their index, so no stored type carries code that matches key
//! or variant names (3.3 KB gzip less per view, docs/PERFORMANCE.md). Floats are written
//! like serde_json (shortest, through `zmij`) and read by [`decimal`]: the browser's own
//! correctly rounded `parseFloat` in WebAssembly (the standard library's parser and its
//! tables are about 10 KB of the module), the standard library's natively; so every written
//! value reads back bit for bit.
//!
//! Errors carry no text: damaged data is reported as damaged ([`crate::store`]), never
//! explained, which keeps serde's error formatting out of the module too.

use std::fmt;

use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, Visitor};
use serde::ser::{self, Serialize};

/// A decimal number, strictly `[+-]digits[.digits][(e|E)[+-]digits]` (digits on at least one
/// side of the point), as a correctly rounded `f64`; `None` for anything else (`inf`, `NaN`,
/// hex, empty, trailing text). In WebAssembly the text, checked here, goes to the browser's
/// `parseFloat`, which rounds correctly for the up to 17 significant digits written here.
pub fn decimal(text: &str) -> Option<f64> {
    let b = text.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let digits = |i: &mut usize| {
        let from = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - from
    };
    let mut mantissa = digits(&mut i);
    if b.get(i) == Some(&b'.') {
        i += 1;
        mantissa += digits(&mut i);
    }
    if mantissa == 0 {
        return None;
    }
    if let Some(b'e' | b'E') = b.get(i) {
        i += 1;
        if let Some(b'+' | b'-') = b.get(i) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    #[cfg(target_arch = "wasm32")]
    {
        Some(js_sys::Number::parse_float(text))
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        text.parse().ok()
    }
}

/// Nesting deeper than this is refused rather than followed (damaged data must not exhaust
/// the stack).
const MAX_DEPTH: u32 = 128;

/// Stored text that is not the JSON of the expected type, or a value JSON cannot hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Error;

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid JSON for the stored type")
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(_msg: T) -> Self {
        Error
    }
}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(_msg: T) -> Self {
        Error
    }
}

/// `value` as serde_json would write it (compact).
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    let mut w = Writer { out: String::new() };
    value.serialize(&mut w)?;
    Ok(w.out)
}

/// Reads a `T` from the whole of `text` (only whitespace may follow the value); a struct's
/// fields may come in any order, unknown ones are skipped, defaulted ones may be left out, as
/// with serde_json. For JSON written elsewhere (the server's answers).
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, Error> {
    read::<T, false>(text)
}

/// Reads a `T` that this module wrote (stored data): a struct's fields must come as they are
/// written, in declaration order and all there (see the module's doc).
pub fn from_stored<T: DeserializeOwned>(text: &str) -> Result<T, Error> {
    read::<T, true>(text)
}

fn read<T: DeserializeOwned, const STRICT: bool>(text: &str) -> Result<T, Error> {
    let mut r = Reader::<STRICT> {
        s: text.as_bytes(),
        i: 0,
        depth: 0,
    };
    let value = T::deserialize(&mut r)?;
    r.ws();
    if r.i == r.s.len() {
        Ok(value)
    } else {
        Err(Error)
    }
}

// ---------------------------------------------------------------------------------------
// Writing

struct Writer {
    out: String,
}

impl Writer {
    #[inline(never)]
    fn uint(&mut self, mut v: u64) {
        let mut buf = [0u8; 20];
        let mut i = buf.len();
        loop {
            i -= 1;
            buf[i] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        for &b in &buf[i..] {
            self.out.push(char::from(b));
        }
    }

    #[inline(never)]
    fn int(&mut self, v: i64) {
        if v < 0 {
            self.out.push('-');
        }
        self.uint(v.unsigned_abs());
    }

    /// A string with serde_json's escapes: `"`, `\`, and the control characters (short
    /// forms for \b \t \n \f \r, `\u00XX` with lowercase hex for the others).
    #[inline(never)]
    fn string(&mut self, s: &str) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        self.out.push('"');
        for c in s.chars() {
            match c {
                '"' => self.out.push_str("\\\""),
                '\\' => self.out.push_str("\\\\"),
                '\u{8}' => self.out.push_str("\\b"),
                '\t' => self.out.push_str("\\t"),
                '\n' => self.out.push_str("\\n"),
                '\u{c}' => self.out.push_str("\\f"),
                '\r' => self.out.push_str("\\r"),
                c if (c as u32) < 0x20 => {
                    let b = c as usize;
                    self.out.push_str("\\u00");
                    self.out.push(char::from(HEX[b >> 4]));
                    self.out.push(char::from(HEX[b & 15]));
                }
                c => self.out.push(c),
            }
        }
        self.out.push('"');
    }

    /// `,` before every element but the first.
    fn comma(&mut self, first: &mut bool) {
        if !*first {
            self.out.push(',');
        }
        *first = false;
    }
}

/// An array or object being written; `close` is what ends it (`]`, `}` or `]}` / `}}` for
/// an enum variant wrapped in an object).
struct Compound<'a> {
    w: &'a mut Writer,
    first: bool,
    close: &'static str,
}

impl Compound<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.w.comma(&mut self.first);
        value.serialize(&mut *self.w)
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Error> {
        self.w.comma(&mut self.first);
        self.w.string(key);
        self.w.out.push(':');
        value.serialize(&mut *self.w)
    }

    fn end(self) -> Result<(), Error> {
        self.w.out.push_str(self.close);
        Ok(())
    }
}

impl<'a> ser::Serializer for &'a mut Writer {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = ser::Impossible<(), Error>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.out.push_str(if v { "true" } else { "false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.int(i64::from(v));
        Ok(())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.int(i64::from(v));
        Ok(())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.int(i64::from(v));
        Ok(())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.int(v);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.uint(u64::from(v));
        Ok(())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.uint(u64::from(v));
        Ok(())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.uint(u64::from(v));
        Ok(())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.uint(v);
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        if v.is_finite() {
            self.out.push_str(zmij::Buffer::new().format_finite(v));
        } else {
            self.out.push_str("null");
        }
        Ok(())
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        if v.is_finite() {
            self.out.push_str(zmij::Buffer::new().format_finite(v));
        } else {
            self.out.push_str("null");
        }
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.string(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.string(v);
        Ok(())
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<(), Error> {
        Err(Error)
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.out.push_str("null");
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.out.push_str("null");
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.string(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.out.push('{');
        self.string(variant);
        self.out.push(':');
        value.serialize(&mut *self)?;
        self.out.push('}');
        Ok(())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a>, Error> {
        self.out.push('[');
        Ok(Compound {
            w: self,
            first: true,
            close: "]",
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Compound<'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, Error> {
        self.out.push('{');
        self.string(variant);
        self.out.push_str(":[");
        Ok(Compound {
            w: self,
            first: true,
            close: "]}",
        })
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, Error> {
        // No stored type holds a map (the engine keeps id-keyed maps as sorted vectors).
        Err(Error)
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Compound<'a>, Error> {
        self.out.push('{');
        Ok(Compound {
            w: self,
            first: true,
            close: "}",
        })
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, Error> {
        self.out.push('{');
        self.string(variant);
        self.out.push_str(":{");
        Ok(Compound {
            w: self,
            first: true,
            close: "}}",
        })
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

impl ser::SerializeTuple for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

impl ser::SerializeTupleStruct for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

impl ser::SerializeTupleVariant for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.field(key, value)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

impl ser::SerializeStructVariant for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.field(key, value)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

// ---------------------------------------------------------------------------------------
// Reading

/// With `STRICT`, structs are read positionally (`deserialize_struct`).
struct Reader<'a, const STRICT: bool> {
    s: &'a [u8],
    i: usize,
    depth: u32,
}

/// A JSON number: unsigned, negative, or with a fraction or exponent.
enum Number {
    U(u64),
    I(i64),
    F(f64),
}

impl<const STRICT: bool> Reader<'_, STRICT> {
    #[inline(never)]
    fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.s.get(self.i) {
            self.i += 1;
        }
    }

    /// The next byte after whitespace, not consumed.
    #[inline(never)]
    fn peek(&mut self) -> Result<u8, Error> {
        self.ws();
        self.s.get(self.i).copied().ok_or(Error)
    }

    #[inline(never)]
    fn eat(&mut self, b: u8) -> Result<(), Error> {
        if self.peek()? == b {
            self.i += 1;
            Ok(())
        } else {
            Err(Error)
        }
    }

    #[inline(never)]
    fn literal(&mut self, word: &[u8]) -> Result<(), Error> {
        self.ws();
        if self.s[self.i..].starts_with(word) {
            self.i += word.len();
            Ok(())
        } else {
            Err(Error)
        }
    }

    #[inline(never)]
    fn enter(&mut self) -> Result<(), Error> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            Err(Error)
        } else {
            Ok(())
        }
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    fn hex4(&mut self) -> Result<u32, Error> {
        let digits = self.s.get(self.i..self.i + 4).ok_or(Error)?;
        let mut v = 0;
        for &d in digits {
            v = v * 16 + char::from(d).to_digit(16).ok_or(Error)?;
        }
        self.i += 4;
        Ok(v)
    }

    /// A string (the opening quote next), with its escapes resolved.
    #[inline(never)]
    fn string(&mut self) -> Result<String, Error> {
        self.eat(b'"')?;
        let mut out = Vec::new();
        loop {
            let b = *self.s.get(self.i).ok_or(Error)?;
            self.i += 1;
            match b {
                b'"' => return String::from_utf8(out).map_err(|_| Error),
                b'\\' => {
                    let e = *self.s.get(self.i).ok_or(Error)?;
                    self.i += 1;
                    let c = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi) {
                                // A surrogate pair: the low half must follow.
                                if self.s.get(self.i..self.i + 2) != Some(b"\\u") {
                                    return Err(Error);
                                }
                                self.i += 2;
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return Err(Error);
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                hi
                            };
                            char::from_u32(code).ok_or(Error)?
                        }
                        _ => return Err(Error),
                    };
                    out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                }
                0..=0x1F => return Err(Error),
                b => out.push(b),
            }
        }
    }

    #[inline(never)]
    fn number(&mut self) -> Result<Number, Error> {
        self.ws();
        let start = self.i;
        let negative = self.s.get(self.i) == Some(&b'-');
        if negative {
            self.i += 1;
        }
        let digits = self.i;
        while self.s.get(self.i).is_some_and(u8::is_ascii_digit) {
            self.i += 1;
        }
        if self.i == digits {
            return Err(Error);
        }
        let mut float = false;
        while let Some(b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-') = self.s.get(self.i) {
            float = true;
            self.i += 1;
        }
        // The scanned bytes are ASCII, so this cannot fail.
        let text = std::str::from_utf8(&self.s[start..self.i]).map_err(|_| Error)?;
        if !float {
            if negative {
                if let Ok(v) = text.parse::<i64>() {
                    return Ok(Number::I(v));
                }
            } else if let Ok(v) = text.parse::<u64>() {
                return Ok(Number::U(v));
            }
        }
        decimal(text).map(Number::F).ok_or(Error)
    }

    /// Reads a string that must be one of `names`; its index.
    #[inline(never)]
    fn name_in(&mut self, names: &[&str]) -> Result<u32, Error> {
        let name = self.string()?;
        let index = names.iter().position(|n| *n == name).ok_or(Error)?;
        u32::try_from(index).map_err(|_| Error)
    }

    /// Before a struct's next field: `false` at the closing brace, else reads the key, which
    /// must be `fields[*next]`, and its colon.
    #[inline(never)]
    fn field(&mut self, fields: &[&str], next: &mut usize) -> Result<bool, Error> {
        let mut first = *next == 0;
        if self.next_item(b'}', &mut first)? {
            return Ok(false);
        }
        let want = fields.get(*next).ok_or(Error)?;
        if self.string()? != *want {
            return Err(Error);
        }
        *next += 1;
        self.eat(b':')?;
        Ok(true)
    }

    /// Skips one value of any kind.
    #[inline(never)]
    fn skip(&mut self) -> Result<(), Error> {
        match self.peek()? {
            b'"' => self.string().map(drop),
            b'n' => self.literal(b"null"),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            open @ (b'[' | b'{') => {
                self.enter()?;
                self.i += 1;
                let close = if open == b'[' { b']' } else { b'}' };
                let mut first = true;
                while self.peek()? != close {
                    if !first {
                        self.eat(b',')?;
                    }
                    first = false;
                    if open == b'{' {
                        self.string()?;
                        self.eat(b':')?;
                    }
                    self.skip()?;
                }
                self.i += 1;
                self.leave();
                Ok(())
            }
            _ => self.number().map(drop),
        }
    }

    /// Before an element or entry: `true` at the closing bracket, else past any comma.
    #[inline(never)]
    fn next_item(&mut self, close: u8, first: &mut bool) -> Result<bool, Error> {
        if self.peek()? == close {
            return Ok(true);
        }
        if !*first {
            self.eat(b',')?;
        }
        *first = false;
        Ok(false)
    }
}

impl<'de, const STRICT: bool> de::Deserializer<'de> for &mut Reader<'de, STRICT> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.peek()? {
            b'n' => {
                self.literal(b"null")?;
                visitor.visit_unit()
            }
            b't' => {
                self.literal(b"true")?;
                visitor.visit_bool(true)
            }
            b'f' => {
                self.literal(b"false")?;
                visitor.visit_bool(false)
            }
            b'"' => visitor.visit_string(self.string()?),
            b'[' => {
                self.enter()?;
                self.i += 1;
                let value = visitor.visit_seq(Items {
                    r: &mut *self,
                    first: true,
                })?;
                self.eat(b']')?;
                self.leave();
                Ok(value)
            }
            b'{' => {
                self.enter()?;
                self.i += 1;
                let value = visitor.visit_map(Items {
                    r: &mut *self,
                    first: true,
                })?;
                self.eat(b'}')?;
                self.leave();
                Ok(value)
            }
            _ => match self.number()? {
                Number::U(v) => visitor.visit_u64(v),
                Number::I(v) => visitor.visit_i64(v),
                Number::F(v) => visitor.visit_f64(v),
            },
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.peek()? == b'n' {
            self.literal(b"null")?;
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        if self.peek()? == b'"' {
            // A unit variant: `"open"`, handed over as its index.
            let index = self.name_in(variants)?;
            return visitor.visit_enum(index.into_deserializer());
        }
        // `{"done": {...}}`
        self.eat(b'{')?;
        self.enter()?;
        let index = self.name_in(variants)?;
        self.eat(b':')?;
        let value = visitor.visit_enum(Variant {
            r: &mut *self,
            index,
        })?;
        self.eat(b'}')?;
        self.leave();
        Ok(value)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.skip()?;
        visitor.visit_unit()
    }

    // Each kind reads only its own JSON form (a struct only from an object, as written): a
    // visitor then brings in only the methods that kind calls, not all of them.

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.peek()? == b't' {
            self.literal(b"true")?;
            visitor.visit_bool(true)
        } else {
            self.literal(b"false")?;
            visitor.visit_bool(false)
        }
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.number()? {
            Number::U(v) => visitor.visit_u64(v),
            Number::I(v) => visitor.visit_i64(v),
            Number::F(v) => visitor.visit_f64(v),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_string(self.string()?)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.literal(b"null")?;
        visitor.visit_unit()
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.eat(b'[')?;
        self.enter()?;
        let value = visitor.visit_seq(Items {
            r: &mut *self,
            first: true,
        })?;
        self.eat(b']')?;
        self.leave();
        Ok(value)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.eat(b'{')?;
        self.enter()?;
        let value = visitor.visit_map(Items {
            r: &mut *self,
            first: true,
        })?;
        self.eat(b'}')?;
        self.leave();
        Ok(value)
    }

    /// With `STRICT`: an object whose keys are `fields`, each once and in that order (as this
    /// module and serde_json write them), handed to the visitor as a sequence, so serde's
    /// derived readers need no code to match key names. Otherwise as a map.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        if !STRICT {
            return self.deserialize_map(visitor);
        }
        self.eat(b'{')?;
        self.enter()?;
        let value = visitor.visit_seq(Fields {
            r: &mut *self,
            fields,
            next: 0,
        })?;
        self.eat(b'}')?;
        self.leave();
        Ok(value)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    serde::forward_to_deserialize_any! {
        i128 u128 char bytes byte_buf
    }

    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_u64(visitor)
    }
    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_u64(visitor)
    }
    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_u64(visitor)
    }
    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_u64(visitor)
    }
    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_u64(visitor)
    }
    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_u64(visitor)
    }
    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_u64(visitor)
    }
    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_u64(visitor)
    }
    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_u64(visitor)
    }
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }
    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }
}

/// The elements of an array or the entries of an object being read.
struct Items<'a, 'de, const STRICT: bool> {
    r: &'a mut Reader<'de, STRICT>,
    first: bool,
}

impl<'de, const STRICT: bool> de::SeqAccess<'de> for Items<'_, 'de, STRICT> {
    type Error = Error;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        if self.r.next_item(b']', &mut self.first)? {
            return Ok(None);
        }
        seed.deserialize(&mut *self.r).map(Some)
    }
}

impl<'de, const STRICT: bool> de::MapAccess<'de> for Items<'_, 'de, STRICT> {
    type Error = Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        if self.r.next_item(b'}', &mut self.first)? {
            return Ok(None);
        }
        let key = self.r.string()?;
        seed.deserialize(key.into_deserializer()).map(Some)
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        self.r.eat(b':')?;
        seed.deserialize(&mut *self.r)
    }
}

/// A struct's fields as a sequence (see `deserialize_struct`): each key is checked against
/// the next expected name and dropped.
struct Fields<'a, 'de, const STRICT: bool> {
    r: &'a mut Reader<'de, STRICT>,
    fields: &'static [&'static str],
    next: usize,
}

impl<'de, const STRICT: bool> de::SeqAccess<'de> for Fields<'_, 'de, STRICT> {
    type Error = Error;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        if !self.r.field(self.fields, &mut self.next)? {
            return Ok(None);
        }
        seed.deserialize(&mut *self.r).map(Some)
    }
}

/// A variant of a data-carrying enum, `{"name": value}`, found by its index in the enum's
/// variant names; the reader stands after the colon.
struct Variant<'a, 'de, const STRICT: bool> {
    r: &'a mut Reader<'de, STRICT>,
    index: u32,
}

impl<'a, 'de, const STRICT: bool> de::EnumAccess<'de> for Variant<'a, 'de, STRICT> {
    type Error = Error;
    type Variant = &'a mut Reader<'de, STRICT>;
    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self::Variant), Error> {
        let variant = seed.deserialize(self.index.into_deserializer())?;
        Ok((variant, self.r))
    }
}

impl<'de, const STRICT: bool> de::VariantAccess<'de> for &mut Reader<'de, STRICT> {
    type Error = Error;
    fn unit_variant(self) -> Result<(), Error> {
        self.literal(b"null")
    }
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(self)
    }
    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_seq(self, visitor)
    }
    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_struct(self, "", fields, visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::{Deserialize, Serialize};

    #[test]
    fn decimal_takes_plain_decimals_only() {
        for (text, want) in [
            ("0", 0.0),
            ("-0.5", -0.5),
            ("+2", 2.0),
            ("1.", 1.0),
            (".25", 0.25),
            ("39.819031", 39.819031),
            ("1e+300", 1e300),
            ("-2.5E-3", -0.0025),
            ("5e-324", 5e-324),
        ] {
            assert_eq!(decimal(text), Some(want), "{text}");
        }
        for text in [
            "", "-", ".", "e5", "1e", "1e+", "1.5x", " 1", "1 ", "inf", "NaN", "0x10", "1,5",
            "--1", "1..2",
        ] {
            assert_eq!(decimal(text), None, "{text:?}");
        }
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Shape {
        Dot,
        Pair(u8, i8),
        Named { x: f64, label: String },
        Wrapped(Option<u32>),
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Sample {
        shapes: Vec<Shape>,
        text: String,
        tiny: f32,
        big: u64,
        small: i64,
        flag: bool,
        mask: [u64; 3],
        #[serde(default)]
        missing: Option<u8>,
    }

    fn sample() -> Sample {
        Sample {
            shapes: vec![
                Shape::Dot,
                Shape::Pair(255, -128),
                Shape::Named {
                    x: -0.1 + 1e-17,
                    label: "引号\"、反斜杠\\、换行\n、\u{1}、\u{7f}、😀".to_owned(),
                },
                Shape::Wrapped(None),
                Shape::Wrapped(Some(7)),
            ],
            text: "\t\u{8}\u{c}\r/".to_owned(),
            tiny: 1.5e-7,
            big: u64::MAX,
            small: i64::MIN,
            flag: true,
            mask: [0, 1 << 63, 12345],
            missing: None,
        }
    }

    #[test]
    fn writes_what_serde_json_writes_and_reads_it_back() {
        let s = sample();
        let ours = to_string(&s).unwrap();
        assert_eq!(ours, serde_json::to_string(&s).unwrap());
        // Bit for bit, where serde_json's default (not `float_roundtrip`) parser reads
        // -0.09999999999999999 as -0.1.
        assert_eq!(from_str::<Sample>(&ours).unwrap(), s);
        assert_eq!(from_stored::<Sample>(&ours).unwrap(), s);
    }

    #[test]
    fn reads_whitespace_escapes_and_unknown_fields_like_serde_json() {
        let text = r#" { "shapes" : [ "dot" , { "wrapped" : null } ] , "text" : "\u00e9\ud83d\ude00\/" ,
            "tiny" : 2 , "big" : 0 , "small" : -3 , "flag" : false , "mask" : [1,2,3] ,
            "extra" : { "a" : [ 1.5e3 , "x" , null , true ] } } "#;
        let ours: Sample = from_str(text).unwrap();
        let theirs: Sample = serde_json::from_str(text).unwrap();
        assert_eq!(ours, theirs);
        assert_eq!(ours.text, "é😀/");
    }

    #[test]
    fn stored_data_reads_with_whitespace_escapes_and_a_left_out_last_default_like_serde_json() {
        let text = r#" { "shapes" : [ "dot" , { "wrapped" : null } , { "named" : { "x" : -1 , "label" : "" } } ] ,
            "text" : "\u00e9\ud83d\ude00\/" ,
            "tiny" : 2 , "big" : 0 , "small" : -3 , "flag" : false , "mask" : [1,2,3] } "#;
        let ours: Sample = from_stored(text).unwrap();
        let theirs: Sample = serde_json::from_str(text).unwrap();
        assert_eq!(ours, theirs);
        assert_eq!(ours.text, "é😀/");
        assert_eq!(ours.missing, None);
    }

    #[test]
    fn stored_fields_out_of_order_unknown_or_missing_are_refused() {
        let good = to_string(&sample()).unwrap();
        assert!(from_stored::<Sample>(&good).is_ok());
        // serde_json takes all of these; stored data never looks like them.
        let swapped = good
            .replacen('{', "{\"flag\":true,", 1)
            .replace(",\"flag\":true", "");
        let extra = good.replace("\"flag\":true", "\"flag\":true,\"extra\":1");
        let missing_inner = good.replace("\"flag\":true,", "");
        let renamed_variant = good.replace("\"named\":", "\"circle\":");
        for bad in [&swapped, &extra, &missing_inner, &renamed_variant] {
            assert_eq!(from_stored::<Sample>(bad), Err(Error), "{bad}");
        }
        // Read as JSON from elsewhere, the first three are the same value, as for serde_json.
        for other in [&swapped, &extra] {
            assert_eq!(from_str::<Sample>(other), Ok(sample()), "{other}");
        }
        assert!(from_str::<Sample>(&missing_inner).is_err());
        assert_eq!(from_str::<Sample>(&renamed_variant), Err(Error));
    }

    #[test]
    fn floats_read_back_bit_for_bit() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let v = f64::from_bits(x);
            if !v.is_finite() {
                continue;
            }
            let back: f64 = from_str(&to_string(&v).unwrap()).unwrap();
            assert_eq!(back.to_bits(), v.to_bits(), "{v:e}");
        }
    }

    #[test]
    fn damaged_text_is_an_error_never_a_guess_or_a_crash() {
        let good = to_string(&sample()).unwrap();
        for bad in [
            "",
            "{not json",
            &good[..good.len() - 1],
            &format!("{good}x"),
            &good.replace("\"flag\":true", "\"flag\":1"),
            &good.replace("\"dot\"", "\"square\""),
            &good.replace("255", "256"),
            "\"\\ud800\"",
            "\"\u{1}\"",
        ] {
            assert_eq!(from_str::<Sample>(bad), Err(Error), "{bad}");
            assert_eq!(from_stored::<Sample>(bad), Err(Error), "{bad}");
        }
        let deep = "[".repeat(10_000);
        assert_eq!(from_str::<Vec<Vec<u8>>>(&deep), Err(Error));
        let deep_extra = format!(
            "{}\"extra\":{}",
            &good[..good.len() - 1],
            "[".repeat(10_000)
        );
        assert_eq!(from_str::<Sample>(&deep_extra), Err(Error));
        assert_eq!(from_stored::<Vec<Vec<u8>>>(&deep), Err(Error));
        assert_eq!(from_str::<String>("\"\\ud800\""), Err(Error));
    }
}
