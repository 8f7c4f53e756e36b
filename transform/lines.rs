//! The one line-splitting rule every front end uses (the CLI's files and standard input,
//! `--follow`, `--listen`, the JS `lines()`, the Fluent Bit module): a line ends at `\n`,
//! `\r\n` or a lone `\r`. Blank lines (ASCII white space only) give no document, and one
//! UTF-8 byte-order mark at a line's start is dropped ([`Transformer::transform`]).
//!
//! The rule needs no lookahead, so a stream read in pieces splits exactly as the whole text
//! would: a line ends at its `\r`, and a `\n` that comes straight after (in the same piece
//! or the next) is the rest of that line end, skipped.
//!
//! [`Transformer::transform`]: crate::Transformer::transform

/// Splits a stream that arrives in pieces. Keep one per stream.
#[derive(Debug, Default, Clone)]
pub struct Splitter {
    /// The last line ended at `\r`: a `\n` next is the rest of its end.
    after_cr: bool,
}

/// What the next bytes of a piece hold: first `skip` bytes that belong to the previous
/// line's end, then `take` bytes of the current line; with `ends`, the last of those is the
/// line's end (one byte, `\r` or `\n`) and the line is complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub skip: usize,
    pub take: usize,
    pub ends: bool,
}

impl Step {
    /// Bytes of the piece this step accounts for.
    pub fn consumed(&self) -> usize {
        self.skip + self.take
    }
}

impl Splitter {
    pub fn new() -> Self {
        Splitter::default()
    }

    /// The next step through `piece`, the stream's next unread bytes. An empty piece gives
    /// an empty step and changes nothing.
    pub fn step(&mut self, piece: &[u8]) -> Step {
        let skip = usize::from(self.after_cr && piece.first() == Some(&b'\n'));
        if piece.is_empty() {
            return Step {
                skip: 0,
                take: 0,
                ends: false,
            };
        }
        let rest = &piece[skip..];
        match memchr::memchr2(b'\n', b'\r', rest) {
            Some(i) => {
                self.after_cr = rest[i] == b'\r';
                Step {
                    skip,
                    take: i + 1,
                    ends: true,
                }
            }
            None => {
                self.after_cr = false;
                Step {
                    skip,
                    take: rest.len(),
                    ends: false,
                }
            }
        }
    }
}

/// The lines of a whole text, each without its end; a last line without an end is given
/// too, an empty one is not.
pub fn lines(text: &[u8]) -> Lines<'_> {
    Lines {
        rest: text,
        splitter: Splitter::new(),
    }
}

/// Iterator made by [`lines`].
#[derive(Debug, Clone)]
pub struct Lines<'a> {
    rest: &'a [u8],
    splitter: Splitter,
}

impl<'a> Iterator for Lines<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        let s = self.splitter.step(self.rest);
        let piece = &self.rest[s.skip..s.skip + s.take];
        self.rest = &self.rest[s.consumed()..];
        if s.ends {
            Some(&piece[..piece.len() - 1])
        } else if piece.is_empty() {
            None
        } else {
            Some(piece)
        }
    }
}

/// As [`lines`], for text (a line end is ASCII, so every line is text too).
pub fn lines_str(text: &str) -> impl Iterator<Item = &str> {
    lines(text.as_bytes()).map(move |l| {
        // Each line is a sub-slice of `text` cut at ASCII bytes: find it by its place.
        let at = l.as_ptr() as usize - text.as_ptr() as usize;
        &text[at..at + l.len()]
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The naive oracle: scan the whole text once, a line ending at `\r\n`, `\r` or `\n`.
    fn oracle(input: &[u8]) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        let mut cur = Vec::new();
        let mut i = 0;
        while i < input.len() {
            match input[i] {
                b'\r' => {
                    out.push(std::mem::take(&mut cur));
                    if input.get(i + 1) == Some(&b'\n') {
                        i += 1;
                    }
                }
                b'\n' => out.push(std::mem::take(&mut cur)),
                b => cur.push(b),
            }
            i += 1;
        }
        if !cur.is_empty() {
            out.push(cur);
        }
        out
    }

    /// The same text fed to a `Splitter` in pieces of the given sizes.
    fn in_pieces(input: &[u8], sizes: &[usize]) -> Vec<Vec<u8>> {
        let mut s = Splitter::new();
        let mut out = Vec::new();
        let mut cur = Vec::new();
        let mut at = 0;
        let mut k = 0;
        while at < input.len() {
            let n = sizes[k % sizes.len()].max(1);
            k += 1;
            let mut piece = &input[at..input.len().min(at + n)];
            at += piece.len();
            while !piece.is_empty() {
                let st = s.step(piece);
                let line = &piece[st.skip..st.consumed()];
                if st.ends {
                    cur.extend_from_slice(&line[..line.len() - 1]);
                    out.push(std::mem::take(&mut cur));
                } else {
                    cur.extend_from_slice(line);
                }
                piece = &piece[st.consumed()..];
            }
        }
        if !cur.is_empty() {
            out.push(cur);
        }
        out
    }

    #[test]
    fn line_ends() {
        let want: Vec<&[u8]> = vec![b"a", b"b", b"c", b"", b"", b"d"];
        assert_eq!(lines(b"a\r\nb\rc\n\r\n\rd").collect::<Vec<_>>(), want);
        assert_eq!(lines(b"").count(), 0);
        assert_eq!(lines(b"\n").collect::<Vec<_>>(), vec![b""]);
        // A `\r\n` split across two pieces is one line end.
        assert_eq!(
            in_pieces(b"a\r\nb", &[2]),
            vec![b"a".to_vec(), b"b".to_vec()]
        );
        assert_eq!(
            lines_str("x\ry\r\nz").collect::<Vec<_>>(),
            vec!["x", "y", "z"]
        );
    }

    proptest! {
        #[test]
        fn matches_the_oracle(
            input in proptest::collection::vec(
                prop_oneof![Just(b'\r'), Just(b'\n'), Just(b'a'), any::<u8>()], 0..200),
            sizes in proptest::collection::vec(1usize..9, 1..5),
        ) {
            let want = oracle(&input);
            prop_assert_eq!(&lines(&input).map(<[u8]>::to_vec).collect::<Vec<_>>(), &want);
            prop_assert_eq!(&in_pieces(&input, &sizes), &want);
        }
    }
}
