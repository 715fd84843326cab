//! `visualize(filename="g.dot")`: the graph in DOT, built with graphviz-rust's types.
//! Drawn like Dask's: an ellipse per task's op, a box per task's result, arrows from
//! inputs to ops and from ops to their results, inputs at the bottom.

use super::draw::{index_label, short_key, DrawGraph};
use graphviz_rust::dot_structures::{
    Attribute, Edge, EdgeTy, Graph, GraphAttributes, Id, Node, NodeId, Stmt, Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};

/// A DOT string literal.
fn quoted(s: &str) -> Id {
    Id::Escaped(format!(
        "\"{}\"",
        s.replace('\\', "\\\\").replace('"', "\\\"")
    ))
}

fn plain(s: &str) -> Id {
    Id::Plain(s.to_string())
}

fn attr(k: &str, v: Id) -> Attribute {
    Attribute(plain(k), v)
}

fn node_id(s: String) -> NodeId {
    NodeId(plain(&s), None)
}

fn edge(a: String, b: String) -> Stmt {
    Stmt::Edge(Edge {
        ty: EdgeTy::Pair(Vertex::N(node_id(a)), Vertex::N(node_id(b))),
        attributes: vec![],
    })
}

pub fn build(g: &DrawGraph) -> Graph {
    let mut stmts = vec![
        Stmt::GAttribute(GraphAttributes::Graph(vec![attr("rankdir", plain("BT"))])),
        Stmt::GAttribute(GraphAttributes::Node(vec![attr(
            "fontname",
            quoted("Helvetica"),
        )])),
    ];
    for (i, n) in g.nodes.iter().enumerate() {
        let tip = quoted(&short_key(&n.key));
        stmts.push(Stmt::Node(Node::new(
            node_id(format!("op{}", i)),
            vec![
                attr("label", quoted(&n.label)),
                attr("shape", plain("ellipse")),
                attr("tooltip", tip.clone()),
            ],
        )));
        stmts.push(Stmt::Node(Node::new(
            node_id(format!("data{}", i)),
            vec![
                attr("label", quoted(&index_label(&n.key))),
                attr("shape", plain("box")),
                attr("tooltip", tip),
            ],
        )));
        stmts.push(edge(format!("op{}", i), format!("data{}", i)));
        for &d in &n.deps {
            stmts.push(edge(format!("data{}", d), format!("op{}", i)));
        }
    }
    Graph::DiGraph {
        id: plain("G"),
        strict: false,
        stmts,
    }
}

pub fn render(g: &DrawGraph) -> String {
    let mut text = build(g).print(&mut PrinterContext::default());
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}
