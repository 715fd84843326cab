//! Methods as registry entries (rhai's registry, nushell's examples with results): each
//! method of a collection is one entry holding its documentation (signature, summary,
//! parameters, an example and the output that example gives) and the function that
//! implements it. The collection's dispatch, "did you mean", tab completion and `help()`
//! read the same table, so a method is added in one place and its name cannot drift
//! apart from its code or its help.
//!
//! Generic over the function types: each collection picks the signature its methods and
//! attribute getters share (frames: `frame::lazy::methods::{Run, Get}`). This module imports only the help doc type; it
//! moves to the bottom value layer together with `Value`.

use super::help::FnDoc;

/// One method: its documentation and its implementation.
pub struct Method<F: 'static> {
    /// `doc.name` is the qualified name help knows it by (`DataFrame.head`); the part
    /// after the last dot is what users type after the receiver.
    pub doc: FnDoc,
    /// Other names for the same method (`set_partition` for `set_index`).
    pub aliases: &'static [&'static str],
    pub run: F,
}

impl<F> Method<F> {
    pub fn name(&self) -> &'static str {
        let n = self.doc.name;
        n.rsplit('.').next().unwrap_or(n)
    }

    fn answers_to(&self, name: &str) -> bool {
        self.name() == name || self.aliases.contains(&name)
    }
}

/// An attribute: read, not called.
pub struct Attr<G: 'static> {
    pub name: &'static str,
    pub get: G,
}

/// The methods and attributes of one kind of value.
pub struct Registry<F: 'static, G: 'static> {
    pub methods: &'static [Method<F>],
    pub attrs: &'static [Attr<G>],
}

impl<F, G> Registry<F, G> {
    /// The method called `name` (or with that alias).
    pub fn get(&self, name: &str) -> Option<&'static Method<F>> {
        self.methods.iter().find(|m| m.answers_to(name))
    }

    pub fn attr(&self, name: &str) -> Option<&'static Attr<G>> {
        self.attrs.iter().find(|a| a.name == name)
    }

    /// Every method name and alias, then the attributes.
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.methods
            .iter()
            .flat_map(|m| std::iter::once(m.name()).chain(m.aliases.iter().copied()))
            .chain(self.attrs.iter().map(|a| a.name))
    }

    /// The name closest to a misspelt `name`, among the registry's names and `extra`
    /// (a frame's columns, say).
    pub fn closest<'a>(
        &'a self,
        name: &str,
        extra: impl IntoIterator<Item = &'a str>,
    ) -> Option<String> {
        let mut cands: Vec<&str> = extra.into_iter().collect();
        for n in self.names() {
            cands.push(n);
        }
        crate::errors::closest(name, cands).map(|s| s.to_string())
    }

    /// The documentation of every method, for `help()` and its tests.
    pub fn docs(&self) -> impl Iterator<Item = &'static FnDoc> {
        self.methods.iter().map(|m| &m.doc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(x: i64) -> i64 {
        x + 1
    }
    fn two(x: i64) -> i64 {
        x + 2
    }

    const fn doc(name: &'static str) -> FnDoc {
        FnDoc {
            name,
            signature: "",
            summary: "",
            params: &[],
            example: "",
            output: "",
        }
    }

    type Run = fn(i64) -> i64;
    type Get = fn() -> i64;

    static R: Registry<Run, Get> = Registry {
        methods: &[
            Method {
                doc: doc("T.first"),
                aliases: &["one"],
                run: one,
            },
            Method {
                doc: doc("T.second"),
                aliases: &[],
                run: two,
            },
        ],
        attrs: &[Attr {
            name: "size",
            get: || 7,
        }],
    };

    #[test]
    fn looks_up_names_and_aliases() {
        assert_eq!((R.get("first").unwrap().run)(1), 2);
        assert_eq!((R.get("one").unwrap().run)(1), 2);
        assert_eq!((R.get("second").unwrap().run)(1), 3);
        assert!(R.get("size").is_none());
        assert_eq!((R.attr("size").unwrap().get)(), 7);
        assert!(R.attr("first").is_none());
        assert!(R.get("T").is_none());
        let names: Vec<&str> = R.names().collect();
        assert_eq!(names, ["first", "one", "second", "size"]);
        assert_eq!(R.closest("secnd", []).as_deref(), Some("second"));
        assert_eq!(R.closest("colum", ["column"]).as_deref(), Some("column"));
    }
}
