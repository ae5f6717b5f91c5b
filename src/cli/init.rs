//! `dossier init [DIR]`: a starter workspace that `dossier check` finds clean.

use std::io::Write;
use std::path::Path;

/// The three starter files, each a small working example.
pub const STARTER: &[(&str, &str)] = &[
    (
        "dossier.toml",
        r#"# Dossier's configuration. Every key is optional: uncomment what you need.

# [files]
# include = ["**/*.md"]          # globs relative to this folder
# exclude = ["drafts/**"]        # .gitignore is honoured as well

# [rules]
# unsourced-claim = "error"      # error | warning | info | hint | off
# untagged-mention = "off"
"#,
    ),
    (
        "actors.md",
        r#"# Actors

Define each actor once, as a line `@id: Name`, then mention it in any note
with `@id`. Indented lines below the name hold its fields and a description.

@example-ministry: Ministry of Examples
  kind: organization
  aliases: the Example Ministry
  Publishes [its weekly bulletin](^example-bulletin).
"#,
    ),
    (
        "sources.md",
        r#"# Sources

Define each source once, as a line `^key: Title`, then cite it in a claim's
metadata: `{what the source says | ^key}`. `reliability` is the source's
grade: a letter A–F for the source, a digit 1–6 for the information.

^example-bulletin: Weekly bulletin, 6 January 2025
  date: 2025-01-06
  reliability: B2
  url: https://example.org/bulletin
  Issued by @example-ministry.
"#,
    ),
];

/// Writes the starter files into `dir` (created if missing). If any of them
/// exists, writes nothing and says which.
pub fn run(dir: &Path) -> Result<(), String> {
    for (name, _) in STARTER {
        let path = dir.join(name);
        if std::fs::symlink_metadata(&path).is_ok() {
            return Err(format!("`{}` already exists: nothing written", path.display()));
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
    for (name, text) in STARTER {
        let path = dir.join(name);
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| format!("cannot create `{}`: {e}", path.display()))?;
        file.write_all(text.as_bytes()).map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
    }
    Ok(())
}
