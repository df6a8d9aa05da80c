//! Lines already parsed, with the state they were parsed from. syntect's parse of a
//! line depends only on the parser's state before it and the line itself, and code
//! blocks repeat lines: `done`, `fi`, `}`, and, across a class's dossiers, the same
//! commands from the same labs. Parsing is nearly all of highlighting's time (tens of
//! microseconds a line); finding a parsed line is well under one.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use syntect::parsing::{ParseState, ScopeStackOp, SyntaxSet};

/// The scope operations of one line, as syntect's `parse_line` gives them.
pub(super) type Ops = Arc<[(usize, ScopeStackOp)]>;

/// Lines kept in all: beyond, the memo starts again, so that a long `folio serve`
/// session or a class of dossiers keeps its memory bounded (about 20 MB, measured at
/// 10,000 réalisations of Bash).
pub(super) const MAX_LINES: usize = 16_384;

/// States kept for one line's text: an empty line or a `}` is met in many.
pub(super) const MAX_STATES: usize = 8;

/// Longer lines (minified code, a pasted log, base64) are parsed every time: they
/// rarely repeat, and keeping them would make [`MAX_LINES`] a bound on lines, not memory.
const MAX_LINE_BYTES: usize = 512;

struct Parsed {
    before: ParseState,
    ops: Ops,
    after: ParseState,
}

/// The parses of each line's text met so far in one syntax set, one per state.
type Lines = HashMap<Box<str>, Vec<Arc<Parsed>>>;

/// Parsed lines by syntax set (its address: folio's sets are statics) and text.
#[derive(Default)]
pub(super) struct Memo {
    sets: Vec<(usize, Lines)>,
    len: usize,
}

/// Memos, each for the lines whose hash falls to it. A line found costs about a
/// microsecond, a tenth of it under the lock: with one lock, sixteen threads taking
/// lines back would queue for it (not measurable on the 2-core benchmark machine, where
/// one lock and sixteen give the same times).
const SHARDS: usize = 16;

/// Lines kept by one memo.
pub(super) const MAX_LINES_PER_SHARD: usize = MAX_LINES / SHARDS;

/// The memo for `line`, locked.
fn locked(line: &str) -> std::sync::MutexGuard<'static, Memo> {
    static MEMOS: OnceLock<[Mutex<Memo>; SHARDS]> = OnceLock::new();
    let memos = MEMOS.get_or_init(Default::default);
    let shard = xxhash_rust::xxh3::xxh3_64(line.as_bytes()) as usize % SHARDS;
    // A memo holds only finished parses: one left by a panicking thread is still sound.
    memos[shard]
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Parse `line` from `state` and move `state` past it, exactly as
/// `state.parse_line(line, set)` would; `None` if the grammar fails.
pub(super) fn parse(state: &mut ParseState, line: &str, set: &'static SyntaxSet) -> Option<Ops> {
    if line.len() > MAX_LINE_BYTES {
        return Some(state.parse_line(line, set).ok()?.into());
    }
    let id = std::ptr::from_ref(set) as usize;
    let seen = locked(line).find(id, line, state);
    if let Some(parsed) = seen {
        #[cfg(test)]
        HITS.set(HITS.get() + 1);
        state.clone_from(&parsed.after);
        return Some(parsed.ops.clone());
    }
    // Parsed outside the lock: the other threads go on meanwhile.
    let before = state.clone();
    let ops: Ops = state.parse_line(line, set).ok()?.into();
    let parsed = Parsed {
        before,
        ops: ops.clone(),
        after: state.clone(),
    };
    locked(line).keep(id, line, parsed);
    Some(ops)
}

impl Memo {
    fn find(&self, set: usize, line: &str, state: &ParseState) -> Option<Arc<Parsed>> {
        let (_, lines) = self.sets.iter().find(|(id, _)| *id == set)?;
        let seen = lines.get(line)?;
        seen.iter().find(|p| p.before == *state).cloned()
    }

    fn keep(&mut self, set: usize, line: &str, parsed: Parsed) {
        if self.len >= MAX_LINES_PER_SHARD {
            *self = Memo::default();
        }
        let lines = match self.sets.iter().position(|(id, _)| *id == set) {
            Some(i) => &mut self.sets[i].1,
            None => {
                self.sets.push((set, HashMap::new()));
                &mut self.sets.last_mut().expect("just pushed").1
            }
        };
        let seen = lines.entry(line.into()).or_default();
        // Another thread may have parsed the same line from the same state meanwhile.
        if seen.len() < MAX_STATES && !seen.iter().any(|p| p.before == parsed.before) {
            seen.push(Arc::new(parsed));
            self.len += 1;
        }
    }
}

#[cfg(test)]
thread_local! {
    /// Lines this thread took from the memo (each test runs on its own thread).
    pub(super) static HITS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

#[cfg(test)]
impl Memo {
    pub(super) fn len(&self) -> usize {
        self.len
    }

    pub(super) fn keep_for_test(&mut self, set: usize, line: &str, state: &ParseState) {
        let parsed = Parsed {
            before: state.clone(),
            ops: Arc::new([]),
            after: state.clone(),
        };
        self.keep(set, line, parsed);
    }
}
