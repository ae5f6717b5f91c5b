//! `dossier report -o DIR`: the static HTML report. The numbers come from
//! `analysis::stats`, the claims and their graph from `analysis::export`,
//! the findings from the checker; this module only lays them out as pages,
//! written one note at a time as they are made.

mod assets;
mod card;
mod html;
mod note;
mod pages;
mod site;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::check::{display_path, each_workspace};
use super::progress::Progress;
use crate::analysis::{Host, export, stats};
use crate::diagnostic::{Diagnostic, Severity};
use crate::syntax::Namespace;
use crate::workspace::{DocId, Document, Keep, Usage};
use pages::{NoteRow, Overview};
use site::Site;

/// Writes the report into `out_dir`; answers the line to print.
pub fn run(paths: &[PathBuf], out_dir: &Path) -> Result<String, String> {
    let today = crate::today::from_env()?;
    let cwd = std::env::current_dir().map_err(|e| format!("cannot read the current folder: {e}"))?;
    // Said before the folder is made: a mistyped path leaves nothing behind.
    for path in paths {
        if std::fs::symlink_metadata(cwd.join(path)).is_err() {
            return Err(format!("path `{}` does not exist", path.display()));
        }
    }
    let dir = cwd.join(out_dir);
    let cannot = |e: std::io::Error| format!("cannot write the report into `{}`: {e}", out_dir.display());
    std::fs::create_dir_all(dir.join("notes")).map_err(cannot)?;
    let mut actors = PageFile::create(&dir.join("actors.html"), out_dir)?;
    let mut sources = PageFile::create(&dir.join("sources.html"), out_dir)?;
    actors.write(&pages::entity_page_start("Actors"))?;
    sources.write(&pages::entity_page_start("Sources"))?;

    let progress = Progress::start("reading notes");
    let mut overview = Overview { today, notes: Vec::new(), total: Default::default(), by_author: Vec::new() };
    let mut failure = None;
    let mut report = Report { dir: &dir, out_dir, cwd: &cwd, progress: &progress, pages: 0, workspaces: 0 };
    let keep = Keep { prose: false, outline: false };
    each_workspace(paths, &cwd, keep, Usage::Presence, |host, in_scope| {
        if failure.is_none()
            && let Err(e) = report.workspace(host, in_scope, &mut overview, &mut actors, &mut sources)
        {
            failure = Some(e);
        }
    })?;
    if let Some(e) = failure {
        return Err(e);
    }
    overview.notes.sort_by(|a, b| a.path.cmp(&b.path));
    actors.write(&pages::entity_page_end())?;
    sources.write(&pages::entity_page_end())?;
    actors.finish()?;
    sources.finish()?;
    let write = |name: &str, bytes: &[u8]| std::fs::write(dir.join(name), bytes).map_err(cannot);
    write("style.css", assets::stylesheet().as_bytes())?;
    write("report.js", assets::SCRIPT.as_bytes())?;
    write("index.html", pages::overview(&overview).as_bytes())?;
    progress.finish();
    Ok(format!(
        "wrote {} ({} notes)",
        display_path(&dir.join("index.html"), &cwd),
        overview.notes.iter().filter(|n| n.page.is_some()).count()
    ))
}

/// A page written as it is made.
struct PageFile<'a> {
    out: BufWriter<File>,
    out_dir: &'a Path,
}

impl<'a> PageFile<'a> {
    fn create(path: &Path, out_dir: &'a Path) -> Result<Self, String> {
        let file = File::create(path).map_err(|e| cannot_write(out_dir, &e))?;
        Ok(PageFile { out: BufWriter::new(file), out_dir })
    }

    fn write(&mut self, html: &str) -> Result<(), String> {
        self.out.write_all(html.as_bytes()).map_err(|e| cannot_write(self.out_dir, &e))
    }

    fn finish(mut self) -> Result<(), String> {
        self.out.flush().map_err(|e| cannot_write(self.out_dir, &e))
    }
}

fn cannot_write(out_dir: &Path, e: &std::io::Error) -> String {
    format!("cannot write the report into `{}`: {e}", out_dir.display())
}

/// What carries over from one workspace to the next.
struct Report<'a> {
    dir: &'a Path,
    out_dir: &'a Path,
    cwd: &'a Path,
    progress: &'a Progress,
    /// Note pages written so far (they are numbered across workspaces).
    pages: usize,
    workspaces: usize,
}

impl Report<'_> {
    fn workspace(
        &mut self,
        host: &Host,
        in_scope: &(dyn Fn(&Path) -> bool + Sync),
        overview: &mut Overview,
        actors: &mut PageFile,
        sources: &mut PageFile,
    ) -> Result<(), String> {
        let workspace = host.workspace();
        let progress = self.progress;
        progress.phase("counting", workspace.len() as u64);
        let found = stats::stats(workspace, |d| in_scope(&d.path), || progress.tick());
        progress.phase("collecting claims", workspace.len() as u64);
        let exported = export::export(workspace, |d| in_scope(&d.path), || progress.tick());
        progress.phase("checking", 0);
        let mut diagnostics: FxHashMap<DocId, Vec<Diagnostic>> = host.check_all(Severity::Info).into_iter().collect();

        // The notes in the export's order (by path), each with its page.
        let mut docs: Vec<(DocId, &Document)> = workspace.documents().filter(|(_, d)| in_scope(&d.path)).collect();
        docs.sort_by(|a, b| a.1.path.cmp(&b.1.path));
        let mut notes: Vec<(DocId, String, usize)> = Vec::new();
        let mut rows = Vec::with_capacity(docs.len());
        let counts: FxHashMap<DocId, &stats::Counts> = found.notes.iter().map(|(d, c)| (*d, c)).collect();
        for &(doc, document) in &docs {
            let path = display_path(&document.path, self.cwd);
            let mut findings = [0; 3];
            for d in diagnostics.get(&doc).map_or(&[][..], Vec::as_slice) {
                match d.severity {
                    Severity::Error => findings[0] += 1,
                    Severity::Warning => findings[1] += 1,
                    _ => findings[2] += 1,
                }
            }
            let problem = document.problem.as_ref().map(|_| {
                diagnostics
                    .get(&doc)
                    .and_then(|d| d.first())
                    .map_or_else(|| "cannot be read".into(), |d| d.message.clone())
            });
            let page = problem.is_none().then(|| {
                self.pages += 1;
                let within = document.path.strip_prefix(&workspace.root).unwrap_or(&document.path);
                site::page_name(self.pages, &within.to_string_lossy())
            });
            if let Some(page) = &page {
                notes.push((doc, page.clone(), document.parse.claims.len()));
            }
            let counts = counts.get(&doc).map(|c| (*c).clone()).unwrap_or_default();
            rows.push(NoteRow { path, page, counts, findings, problem });
        }
        let site = Site::new(self.workspaces, workspace, &exported, &notes, self.cwd);
        self.workspaces += 1;

        progress.phase("writing pages", notes.len() as u64);
        let mut first = 0;
        let jobs: Vec<(DocId, &str, usize, Vec<Diagnostic>)> = notes
            .iter()
            .map(|(doc, page, claims)| {
                let job = (*doc, page.as_str(), first, diagnostics.remove(doc).unwrap_or_default());
                first += claims;
                job
            })
            .collect();
        let dir = self.dir.join("notes");
        jobs.par_iter().try_for_each(|(doc, page, first_claim, diagnostics)| {
            let document = workspace.document(*doc);
            let display = display_path(&document.path, self.cwd);
            let html = note::render(&note::NotePage {
                site: &site,
                document,
                display: &display,
                first_claim: *first_claim,
                diagnostics,
            });
            progress.tick();
            std::fs::write(dir.join(page), html).map_err(|e| cannot_write(self.out_dir, &e))
        })?;

        progress.phase("writing cards", 0);
        // Each page is one core's work, tens of megabytes on a big workspace.
        let (actors, sources) = rayon::join(
            || pages::entity_cards(&site, Namespace::Actor, |html| actors.write(html)),
            || pages::entity_cards(&site, Namespace::Source, |html| sources.write(html)),
        );
        actors.and(sources)?;

        overview.notes.extend(rows);
        overview.total.add(&found.total);
        for score in found.by_author {
            match overview.by_author.iter_mut().find(|s| s.author == score.author) {
                Some(known) => known.brier.add(score.brier),
                None => overview.by_author.push(score),
            }
        }
        progress.phase("reading notes", 0);
        Ok(())
    }
}
