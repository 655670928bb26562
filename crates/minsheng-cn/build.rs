//! Embeds the rules folder (`../../rules`) and the shipped reforms
//! (`../../reforms`) in the crate, so that the binary carries its rule book
//! and its ready reforms and runs from any directory. Written by hand because
//! it is a dozen lines: a crate for it would add more than it saves.

use std::fmt::Write;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, root: &Path, out: &mut Vec<(String, PathBuf)>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, root, out)?;
        } else if path.extension().is_some_and(|e| e == "yaml") {
            let rel = path.strip_prefix(root).map_err(std::io::Error::other)?;
            let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            out.push((rel, path.canonicalize()?));
        }
    }
    Ok(())
}

/// Writes `static NAME: &[(&str, &str)]`, the `.yaml` files under `root` as (relative path, text).
fn embed(code: &mut String, name: &str, doc: &str, root: &Path) -> std::io::Result<()> {
    println!("cargo::rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    collect(root, root, &mut files)?;
    files.sort();
    writeln!(code, "/// {doc}\npub static {name}: &[(&str, &str)] = &[").map_err(std::io::Error::other)?;
    for (rel, abs) in &files {
        println!("cargo::rerun-if-changed={}", abs.display());
        writeln!(code, "    ({rel:?}, include_str!({:?})),", abs.display().to_string())
            .map_err(std::io::Error::other)?;
    }
    code.push_str("];\n");
    Ok(())
}

fn main() -> std::io::Result<()> {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").map_err(std::io::Error::other)?);
    let mut code = String::new();
    let rules = manifest.join("../../rules").canonicalize()?;
    embed(&mut code, "EMBEDDED", "The rules folder, embedded at build time: (relative path, text).", &rules)?;
    let reforms = manifest.join("../../reforms").canonicalize()?;
    embed(&mut code, "REFORMS", "The shipped reforms, embedded at build time: (file name, text).", &reforms)?;
    let out = PathBuf::from(std::env::var("OUT_DIR").map_err(std::io::Error::other)?);
    std::fs::write(out.join("embedded_rules.rs"), code)
}
