//! A generator expression whose first iterable is a lazy iterator, such as
//! `(n for n in itertools.count() if n % 2 == 0)`: itself a lazy iterator, running the
//! clauses for one source item at a time. Over anything else a generator expression is
//! evaluated at once, into a list (`expr.rs`).

use super::expr::{run_gen_item, Gen};
use super::Node;
use crate::errors::Result;
use crate::session::iter::{LazyIter, PyIter};
use crate::session::runtime::{Frame, Locals};
use crate::value::value::Value;
use std::collections::VecDeque;
use std::sync::Arc;

struct GenIter {
    src: Arc<LazyIter>,
    gens: Arc<Vec<Gen>>,
    el: Node,
    /// The defining code's locals when the generator was made (its own clause
    /// variables live in these slots too).
    slots: Vec<Value>,
    free: Vec<(String, Value)>,
    /// Items made from one source item and not yet taken.
    pending: VecDeque<Value>,
}

/// The generator over `src`, reading the names of `l` as they are now.
pub(super) fn lazy(src: Arc<LazyIter>, gens: Arc<Vec<Gen>>, el: Node, l: &Locals) -> Value {
    let mut slots = l.slots.clone();
    // the first clause starts once, for the whole generator (the later ones per item)
    if let Some(g) = gens.first() {
        g.start(&mut slots);
    }
    LazyIter::new_value(
        "generator",
        GenIter {
            src,
            gens,
            el,
            slots,
            free: l.free.to_vec(),
            pending: VecDeque::new(),
        },
    )
}

impl std::fmt::Debug for GenIter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "GenIter over {:?}", self.src)
    }
}

impl PyIter for GenIter {
    fn next(&mut self, fr: &mut Frame) -> Result<Option<Value>> {
        loop {
            if let Some(x) = self.pending.pop_front() {
                return Ok(Some(x));
            }
            // a filter that never matches runs as long as Python's would: until Ctrl-C
            crate::scheduler::check_cancel()?;
            let Some(item) = self.src.next(fr)? else {
                return Ok(None);
            };
            let GenIter {
                gens,
                el,
                slots,
                free,
                pending,
                ..
            } = self;
            let mut l = Locals {
                slots: std::mem::take(slots),
                free: free.as_slice(),
            };
            let r = run_gen_item(gens.as_slice(), 0, item, &mut l, fr, &mut |l, fr| {
                pending.push_back(el(l, fr)?);
                Ok(())
            });
            *slots = l.slots;
            r?;
        }
    }
    fn endless(&self) -> bool {
        self.src.endless()
    }
    fn repr(&self) -> String {
        "<generator object <genexpr>>".into()
    }
}
