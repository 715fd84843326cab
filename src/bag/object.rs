//! Bags as values: a lazy bag, or a reduction's single value (`Item`).

use super::lazy::{BagKind, LazyBag};
use crate::value::object::Object;
use std::sync::Arc;

impl Object for Arc<LazyBag> {
    fn type_name(&self) -> &'static str {
        "db.Bag"
    }
    fn qualifier(&self) -> &'static str {
        match self.kind {
            BagKind::Item => "Item",
            _ => "Bag",
        }
    }
    fn repr(&self) -> String {
        self.summary()
    }
    fn mime(&self) -> Vec<(String, String)> {
        vec![("text/html".into(), super::html::bag_html(self))]
    }
}
