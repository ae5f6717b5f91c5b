//! Tests of the library's core in process, with no binary spawned: every
//! rule on fixtures (`rules`) and the properties the parser, the line index
//! and the incremental workspace must keep on generated input (`properties`).
//! One test binary for both, linked once: `cargo test --test core_api rules::`.

mod properties;
mod rules;
