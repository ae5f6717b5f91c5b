//! Tests of the library's core in process, with no binary spawned: every
//! rule on fixtures (`rules`), the properties the parser, the line index
//! and the incremental workspace must keep on generated input
//! (`properties`), those of the safe fixes (`fix_properties`), and of the
//! semantic tokens reused after an edit (`token_properties`).
//! One test binary for both, linked once: `cargo test --test core_api rules::`.

mod fix_properties;
mod properties;
mod rules;
mod token_properties;
