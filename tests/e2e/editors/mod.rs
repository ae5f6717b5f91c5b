//! The editor integrations, each driven headless against the built server:
//! `cargo test --test e2e editors::neovim`, `cargo test --test e2e editors::emacs`.

mod emacs;
mod neovim;
