//! Python's mutable containers: a list, dict or set is one object that every name, list
//! slot and closure holding it shares, so `ys = xs; ys.append(1)` is seen through `xs`
//! and a function can fill the list it was given.
//!
//! Each is an `Arc` around a read-write lock. Reads take the lock for as long as the
//! caller looks (`read`, recursive, so a nested read on the same thread never waits for
//! a queued writer); code that calls back into user code while it walks the items takes
//! a `snapshot` first, so the user code may change the container without deadlock, as
//! Python allows. A container travels to a worker process as its items (a task gets a
//! copy, as a Dask worker gets a pickle).

use parking_lot::{RwLock, RwLockReadGuard, RwLockWriteGuard};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cell::RefCell;
use std::sync::Arc;

pub struct Shared<T>(Arc<RwLock<T>>);

impl<T> Shared<T> {
    pub fn new(t: T) -> Self {
        Shared(Arc::new(RwLock::new(t)))
    }

    /// Look at the items. Do not call user code or change this container while the guard
    /// lives (take a `snapshot` for that).
    pub fn read(&self) -> RwLockReadGuard<'_, T> {
        self.0.read_recursive()
    }

    /// Change the items in place; every holder sees the change.
    pub fn write(&self) -> RwLockWriteGuard<'_, T> {
        self.0.write()
    }

    /// Whether two handles are the same object (Python's `is`).
    pub fn ptr_eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    /// The object's identity (Python's `id`), for cycle guards.
    pub fn addr(&self) -> usize {
        Arc::as_ptr(&self.0) as *const () as usize
    }
}

impl<T: Clone> Shared<T> {
    /// A copy of the items, to walk while calling user code.
    pub fn snapshot(&self) -> T {
        self.read().clone()
    }

    /// A new, separate container with the same items (Python's shallow `copy`).
    pub fn copy(&self) -> Self {
        Shared::new(self.snapshot())
    }
}

/// A handle clone: the same object, not a copy.
impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match enter(self.addr()) {
            Some(_g) => self.read().fmt(f),
            None => f.write_str("<cycle>"),
        }
    }
}

thread_local! {
    /// The containers being printed, compared or encoded on this thread, innermost last.
    static ACTIVE: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
}

/// While alive, marks a container as being walked (see `enter`).
pub struct Visit(usize);

impl Drop for Visit {
    fn drop(&mut self) {
        ACTIVE.with(|a| {
            let mut a = a.borrow_mut();
            if let Some(i) = a.iter().rposition(|x| *x == self.0) {
                a.remove(i);
            }
        });
    }
}

/// Start walking the container at `addr`, or `None` when this thread is already inside
/// it (a list that holds itself prints as `[...]`, as in Python).
pub fn enter(addr: usize) -> Option<Visit> {
    ACTIVE.with(|a| {
        let mut a = a.borrow_mut();
        if a.contains(&addr) {
            None
        } else {
            a.push(addr);
            Some(Visit(addr))
        }
    })
}

impl<T: Serialize> Serialize for Shared<T> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match enter(self.addr()) {
            Some(_g) => self.read().serialize(s),
            None => Err(serde::ser::Error::custom(
                "a container that holds itself cannot be sent to a worker",
            )),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Shared<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        Ok(Shared::new(T::deserialize(d)?))
    }
}
