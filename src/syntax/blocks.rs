//! Indented blocks: the logical lines from `lines.rs` grouped into compound statements
//! as Python does. A header (`if x:`) takes either the statements after its colon on the
//! same line or the following lines indented deeper than it; `elif`/`else`/`except`/
//! `finally` continue the statement at the header's own indentation.

use crate::errors::{locate, ErrorKind, RaskError, Result};
use crate::syntax::ast::{Handler, Span, Stmt, StmtKind};
use crate::syntax::lines::{Line, LineKind, Piece};
use crate::syntax::parse::{self, Header};

pub struct Blocks<'a> {
    src: &'a str,
    lines: Vec<Line>,
    pos: usize,
}

/// A parsed header line.
struct Head {
    header: Header,
    at: Ctx,
}

/// Where a header is, and its inline body.
struct Ctx {
    keyword: &'static str,
    indent: usize,
    span: Span,
    inline: Vec<Piece>,
}

impl<'a> Blocks<'a> {
    pub fn new(src: &'a str, lines: Vec<Line>) -> Self {
        Blocks { src, lines, pos: 0 }
    }

    /// Every statement of the text (the first line's indentation is the top level).
    pub fn program(mut self) -> Result<Vec<Stmt>> {
        let Some(first) = self.lines.first() else {
            return Ok(Vec::new());
        };
        let indent = first.indent;
        let out = self.block(indent)?;
        if let Some(line) = self.lines.get(self.pos) {
            // a line less indented than the first: no level it could close
            return Err(
                RaskError::syntax("unindent does not match any outer indentation level")
                    .with_span(Span::new(line.start, line.start + 1)),
            );
        }
        Ok(out)
    }

    /// Statements at exactly `indent`, until a line indented less.
    fn block(&mut self, indent: usize) -> Result<Vec<Stmt>> {
        let mut out = Vec::new();
        while let Some(line) = self.lines.get(self.pos) {
            if line.indent < indent {
                break;
            }
            // a `%` command is taken at any indentation (it is not Python)
            let magic = matches!(&line.kind, LineKind::Simple(ps) if matches!(ps.as_slice(), [Piece::Magic { .. }]));
            if line.indent > indent && !magic {
                return Err(RaskError::syntax("unexpected indent")
                    .with_span(Span::new(line.start, line.start + 1)));
            }
            self.statement(&mut out)?;
        }
        Ok(out)
    }

    fn simple(&self, pieces: &[Piece], out: &mut Vec<Stmt>) -> Result<()> {
        for p in pieces {
            match *p {
                Piece::Code { start, end, depth } => {
                    out.extend(parse::parse_statement(self.src, start, end, depth)?)
                }
                Piece::Magic { start, end } => out.push(super::magic(self.src, start, end)?),
            }
        }
        Ok(())
    }

    /// The line at `pos` as a header, parsed (None for a simple line).
    fn head(&self) -> Result<Option<Head>> {
        let Some(line) = self.lines.get(self.pos) else {
            return Ok(None);
        };
        let LineKind::Header {
            keyword,
            end,
            depth,
            body,
        } = &line.kind
        else {
            return Ok(None);
        };
        let header = parse::parse_header(self.src, line.start, *end, *depth)?;
        Ok(Some(Head {
            header,
            at: Ctx {
                keyword,
                indent: line.indent,
                span: Span::new(line.start, *end),
                inline: body.clone(),
            },
        }))
    }

    /// One line's statements: simple ones, or a whole compound statement.
    fn statement(&mut self, out: &mut Vec<Stmt>) -> Result<()> {
        let Some(head) = self.head()? else {
            if let Some(Line {
                kind: LineKind::Simple(pieces),
                ..
            }) = self.lines.get(self.pos)
            {
                let pieces = pieces.clone();
                self.pos += 1;
                self.simple(&pieces, out)?;
            }
            return Ok(());
        };
        let Head { header, at: head } = head;
        let start = head.span.start;
        let kind = match header {
            Header::If(test) => {
                let mut branches = vec![(test, self.suite(&head)?)];
                let mut orelse = Vec::new();
                while let Some(next) = self.continuation(&head, &["elif", "else"])? {
                    match next.header {
                        Header::Elif(t) => branches.push((t, self.suite(&next.at)?)),
                        _ => {
                            orelse = self.suite(&next.at)?;
                            break;
                        }
                    }
                }
                StmtKind::If { branches, orelse }
            }
            Header::While(test) => {
                let body = self.suite(&head)?;
                let orelse = self.else_clause(&head)?;
                StmtKind::While { test, body, orelse }
            }
            Header::For(target, iter) => {
                let body = self.suite(&head)?;
                let orelse = self.else_clause(&head)?;
                StmtKind::For {
                    target,
                    iter,
                    body,
                    orelse,
                }
            }
            Header::With(items) => StmtKind::With {
                items,
                body: self.suite(&head)?,
            },
            Header::Def(name, params) => StmtKind::Def {
                name,
                params,
                body: self.suite(&head)?,
            },
            Header::Try => self.try_stmt(&head)?,
            Header::Class(name) => {
                return Err(RaskError::syntax(format!(
                    "class definitions (`class {}`) are not part of rask's language",
                    name
                ))
                .with_span(head.span)
                .with_hint("use functions and dicts; records are dicts, e.g. {\"name\": n}"))
            }
            Header::Elif(_) | Header::Else | Header::Except(..) | Header::Finally => {
                return Err(RaskError::syntax(format!(
                    "`{}` without a matching `{}`",
                    head.keyword,
                    match head.keyword {
                        "elif" => "if",
                        "else" => "if`, `for`, `while` or `try",
                        _ => "try",
                    }
                ))
                .with_span(head.span))
            }
        };
        let end = self.last_end(start);
        out.push(Stmt {
            kind,
            span: Span::new(start, end),
        });
        Ok(())
    }

    /// End of the code consumed so far (the previous line's last statement).
    fn last_end(&self, start: usize) -> usize {
        let Some(line) = self.pos.checked_sub(1).and_then(|i| self.lines.get(i)) else {
            return start;
        };
        let end = match &line.kind {
            LineKind::Simple(ps) | LineKind::Header { body: ps, .. } if !ps.is_empty() => {
                match ps[ps.len() - 1] {
                    Piece::Code { end, .. } | Piece::Magic { end, .. } => end,
                }
            }
            LineKind::Header { end, .. } => *end,
            LineKind::Simple(_) => line.start,
        };
        end.max(start)
    }

    /// The next line, if it continues `head`'s statement with one of `words` at the same
    /// indentation (consumed, parsed).
    fn continuation(&mut self, head: &Ctx, words: &[&str]) -> Result<Option<Head>> {
        let Some(line) = self.lines.get(self.pos) else {
            return Ok(None);
        };
        match &line.kind {
            LineKind::Header { keyword, .. }
                if line.indent == head.indent && words.contains(keyword) =>
            {
                self.head()
            }
            _ => Ok(None),
        }
    }

    fn else_clause(&mut self, head: &Ctx) -> Result<Vec<crate::syntax::ast::Stmt>> {
        match self.continuation(head, &["else"])? {
            Some(e) => self.suite(&e.at),
            None => Ok(Vec::new()),
        }
    }

    fn try_stmt(&mut self, head: &Ctx) -> Result<StmtKind> {
        let body = self.suite(head)?;
        let mut handlers = Vec::new();
        let mut orelse = Vec::new();
        let mut finalbody = Vec::new();
        let mut bare_at: Option<Span> = None;
        while let Some(next) = self.continuation(head, &["except", "else", "finally"])? {
            match next.header {
                Header::Except(class, name) => {
                    if let Some(at) = bare_at {
                        return Err(
                            RaskError::syntax("default 'except:' must be last").with_span(at)
                        );
                    }
                    if !orelse.is_empty() {
                        return Err(
                            RaskError::syntax("`except` after `else`").with_span(next.at.span)
                        );
                    }
                    if class.is_none() {
                        bare_at = Some(next.at.span);
                    }
                    let body = self.suite(&next.at)?;
                    handlers.push(Handler {
                        class,
                        name,
                        body,
                        span: next.at.span,
                    });
                }
                Header::Else => {
                    if handlers.is_empty() {
                        return Err(RaskError::syntax(
                            "`else` in a `try` needs an `except` before it",
                        )
                        .with_span(next.at.span));
                    }
                    orelse = self.suite(&next.at)?;
                }
                _ => {
                    finalbody = self.suite(&next.at)?;
                    break;
                }
            }
        }
        if handlers.is_empty() && finalbody.is_empty() {
            let at = self.lines.get(self.pos).map(|l| l.start);
            return Err(match at {
                Some(at) => RaskError::syntax("expected 'except' or 'finally' block")
                    .with_span(Span::new(at, at + 1)),
                None => RaskError::new(
                    ErrorKind::Incomplete,
                    "expected 'except' or 'finally' block",
                )
                .with_span(head.span),
            });
        }
        Ok(StmtKind::Try {
            body,
            handlers,
            orelse,
            finalbody,
        })
    }

    /// The body of the header at `pos`: its inline statements, or the indented lines
    /// after it. Consumes them.
    fn suite(&mut self, head: &Ctx) -> Result<Vec<Stmt>> {
        self.pos += 1;
        if !head.inline.is_empty() {
            let mut out = Vec::new();
            self.simple(&head.inline, &mut out)?;
            return Ok(out);
        }
        let (line_no, _, _) = locate(self.src, head.span.start);
        let what = format!(
            "expected an indented block after '{}' statement on line {}",
            head.keyword, line_no
        );
        let Some(next) = self.lines.get(self.pos) else {
            return Err(RaskError::new(ErrorKind::Incomplete, what)
                .with_span(Span::new(head.span.end.saturating_sub(1), head.span.end)));
        };
        if next.indent <= head.indent {
            return Err(RaskError::syntax(what).with_span(Span::new(next.start, next.start + 1)));
        }
        let indent = next.indent;
        let body = self.block(indent)?;
        if let Some(after) = self.lines.get(self.pos) {
            if after.indent > head.indent {
                return Err(RaskError::syntax(
                    "unindent does not match any outer indentation level",
                )
                .with_span(Span::new(after.start, after.start + 1)));
            }
        }
        Ok(body)
    }
}
