//! A bag as a notebook shows it. Dask gives bags no HTML form, so this is its text
//! repr in bold: `dask.bag<from_sequence, npartitions=3>` (an `Item`, a reduction's one
//! value, `dask.bag.Item<sum>`), the name being the operation without its token.

use super::lazy::{BagKind, LazyBag};
use crate::common::html::escape;
use crate::graph::key::key_split;

/// The `text/html` of a bag or item.
pub fn bag_html(b: &LazyBag) -> String {
    let text = match b.kind {
        BagKind::Bag => format!(
            "dask.bag<{}, npartitions={}>",
            key_split(&b.name),
            b.npartitions
        ),
        BagKind::Item => format!("dask.bag.Item<{}>", key_split(&b.name)),
    };
    format!("<div><strong>{}</strong></div>", escape(&text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::key::layer_name;
    use crate::graph::task::Layer;

    fn bag(prefix: &str, kind: BagKind) -> LazyBag {
        let name = layer_name(prefix, "test");
        LazyBag {
            layer: Layer::new(name.clone(), vec![], vec![]),
            name,
            npartitions: 3,
            kind,
        }
    }

    #[test]
    fn bags_show_name_and_partitions_escaped() {
        assert_eq!(
            bag_html(&bag("from_sequence", BagKind::Bag)),
            "<div><strong>dask.bag&lt;from_sequence, npartitions=3&gt;</strong></div>"
        );
        assert_eq!(
            bag_html(&bag("sum", BagKind::Item)),
            "<div><strong>dask.bag.Item&lt;sum&gt;</strong></div>"
        );
    }
}
