//! `operator`: Python's operators as functions (the evaluator's own operators, so they
//! work on arrays and frames too), and the getters (`itemgetter`, `attrgetter`,
//! `methodcaller`) as callable objects.

use super::Member::{self, *};
use crate::errors::{RaskError, Result};
use crate::session::eval;
use crate::session::runtime::Frame;
use crate::syntax::ast::{BinOp, CmpOp, UnaryOp};
use crate::value::args::Args;
use crate::value::value::Value;

pub const MEMBERS: &[(&str, Member)] = &[
    ("add", Func),
    ("sub", Func),
    ("mul", Func),
    ("truediv", Func),
    ("floordiv", Func),
    ("mod", Func),
    ("pow", Func),
    ("matmul", Func),
    ("and_", Func),
    ("or_", Func),
    ("xor", Func),
    ("lshift", Func),
    ("rshift", Func),
    ("concat", Func),
    ("neg", Func),
    ("pos", Func),
    ("abs", Func),
    ("invert", Func),
    ("inv", Func),
    ("not_", Func),
    ("truth", Func),
    ("eq", Func),
    ("ne", Func),
    ("lt", Func),
    ("le", Func),
    ("gt", Func),
    ("ge", Func),
    ("is_", Func),
    ("is_not", Func),
    ("contains", Func),
    ("getitem", Func),
    ("countOf", Func),
    ("indexOf", Func),
    ("itemgetter", Func),
    ("attrgetter", Func),
    ("methodcaller", Func),
];

fn two(args: &Args) -> Result<(&Value, &Value)> {
    match args.pos.as_slice() {
        [a, b] if args.kw.is_empty() => Ok((a, b)),
        _ => Err(RaskError::type_(format!(
            "{} expected 2 arguments, got {}",
            args.fname,
            args.pos.len() + args.kw.len()
        ))),
    }
}

fn one(args: &Args) -> Result<&Value> {
    match args.pos.as_slice() {
        [a] if args.kw.is_empty() => Ok(a),
        _ => Err(RaskError::type_(format!(
            "{} expected 1 argument, got {}",
            args.fname,
            args.pos.len() + args.kw.len()
        ))),
    }
}

pub fn call(fr: &mut Frame, name: &str, args: Args) -> Result<Value> {
    let bin = |op: BinOp, args: &Args| -> Result<Value> {
        let (a, b) = two(args)?;
        eval::binary(op, a, b)
    };
    let cmp = |op: CmpOp, args: &Args| -> Result<Value> {
        let (a, b) = two(args)?;
        eval::compare(op, a, b)
    };
    match name {
        "add" => bin(BinOp::Add, &args),
        "sub" => bin(BinOp::Sub, &args),
        "mul" => bin(BinOp::Mul, &args),
        "truediv" => bin(BinOp::Div, &args),
        "floordiv" => bin(BinOp::FloorDiv, &args),
        "mod" => bin(BinOp::Mod, &args),
        "pow" => bin(BinOp::Pow, &args),
        "matmul" => bin(BinOp::MatMul, &args),
        "and_" => bin(BinOp::BitAnd, &args),
        "or_" => bin(BinOp::BitOr, &args),
        "xor" => bin(BinOp::BitXor, &args),
        "lshift" => bin(BinOp::LShift, &args),
        "rshift" => bin(BinOp::RShift, &args),
        "concat" => {
            let (a, b) = two(&args)?;
            if !matches!(a, Value::List(_) | Value::Tuple(_) | Value::Str(_)) {
                return Err(RaskError::type_(format!(
                    "'{}' object can't be concatenated",
                    a.type_name()
                )));
            }
            eval::binary(BinOp::Add, a, b)
        }
        "neg" => eval::unary(UnaryOp::Neg, one(&args)?.clone(), fr),
        "pos" => eval::unary(UnaryOp::Pos, one(&args)?.clone(), fr),
        "invert" | "inv" => eval::unary(UnaryOp::Invert, one(&args)?.clone(), fr),
        "not_" => eval::unary(UnaryOp::Not, one(&args)?.clone(), fr),
        "truth" => {
            let v = one(&args)?.clone();
            Ok(Value::Bool(eval::truth(fr, &v)?))
        }
        "abs" => {
            let v = one(&args)?.clone();
            super::super::call_builtin(fr, "abs", Args::new("abs", vec![v]))
        }
        "eq" => cmp(CmpOp::Eq, &args),
        "ne" => cmp(CmpOp::Ne, &args),
        "lt" => cmp(CmpOp::Lt, &args),
        "le" => cmp(CmpOp::Le, &args),
        "gt" => cmp(CmpOp::Gt, &args),
        "ge" => cmp(CmpOp::Ge, &args),
        "is_" => cmp(CmpOp::Is, &args),
        "is_not" => cmp(CmpOp::IsNot, &args),
        // contains(a, b) is `b in a`
        "contains" => {
            let (a, b) = two(&args)?;
            eval::compare(CmpOp::In, b, a)
        }
        "getitem" => {
            let (a, b) = two(&args)?;
            super::callables::item(a, b)
        }
        "countOf" | "indexOf" => {
            let (a, b) = two(&args)?;
            let items = eval::iter_values(fr, a)?;
            let hits = items
                .iter()
                .enumerate()
                .filter(|(_, x)| crate::value::pyops::eq(x, b));
            if name == "countOf" {
                return Ok(Value::Int(hits.count() as i64));
            }
            hits.map(|(i, _)| Value::Int(i as i64))
                .next()
                .ok_or_else(|| RaskError::value("sequence.index(x): x not in sequence"))
        }
        "itemgetter" => super::callables::itemgetter(args),
        "attrgetter" => super::callables::attrgetter(args),
        "methodcaller" => super::callables::methodcaller(args),
        other => Err(RaskError::name(format!(
            "module 'operator' has no attribute '{}'",
            other
        ))),
    }
}
