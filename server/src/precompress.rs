//! The bundle compressed once, at build time, the best each encoding can do: brotli at quality
//! 11 and gzip at level 9, written beside each file of the site's `pkg/` as `.br` and `.gz`.
//! The server then serves those bytes as they lie (issue 13): a phone receives what was
//! measured, not what a fast on-the-fly level makes of it. cargo-leptos' own `--precompress`
//! was tried first: its gzip (libflate) came out at 1,226 KB for the wasm, worse than the 1,008
//! KB the server's on-the-fly gzip sent, so this writes both encodings itself.

use anyhow::Context;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Files smaller than this are not worth a compressed copy.
const MIN_BYTES: u64 = 512;

/// What precompressing one file made.
#[derive(Debug, Clone, PartialEq)]
pub struct Compressed {
    pub path: PathBuf,
    pub raw: usize,
    pub brotli: usize,
    pub gzip: usize,
}

pub fn brotli(bytes: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        w.write_all(bytes)?;
    }
    Ok(out)
}

pub fn gzip(bytes: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut w = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    w.write_all(bytes)?;
    Ok(w.finish()?)
}

/// Writes `.br` and `.gz` beside every file of `dir` (recursively) that is big enough and not
/// itself a compressed copy. Always anew: a copy left by another tool or build is replaced.
pub fn precompress_dir(dir: &Path) -> anyhow::Result<Vec<Compressed>> {
    let mut done = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).with_context(|| format!("cannot read {}", dir.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let is_copy = path.extension().is_some_and(|e| e == "br" || e == "gz");
            let meta = std::fs::metadata(&path)?;
            if is_copy || meta.len() < MIN_BYTES {
                continue;
            }
            let bytes = std::fs::read(&path)?;
            let (br, gz) = (brotli(&bytes)?, gzip(&bytes)?);
            std::fs::write(with_suffix(&path, "br"), &br)?;
            std::fs::write(with_suffix(&path, "gz"), &gz)?;
            done.push(Compressed { path, raw: bytes.len(), brotli: br.len(), gzip: gz.len() });
        }
    }
    done.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(done)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn copies_decompress_to_the_file() {
        let dir = tempfile::tempdir().expect("dir");
        let file = dir.path().join("app.wasm");
        let raw: Vec<u8> = (0..50_000u32).map(|i| (i % 97) as u8).collect();
        std::fs::write(&file, &raw).expect("write");
        std::fs::write(dir.path().join("tiny.js"), b"x").expect("write");

        let done = precompress_dir(dir.path()).expect("precompress");
        assert_eq!(done.len(), 1, "the tiny file gets no copy");
        let mut back = Vec::new();
        brotli::Decompressor::new(std::fs::File::open(dir.path().join("app.wasm.br")).expect("br"), 4096).read_to_end(&mut back).expect("unbrotli");
        assert_eq!(back, raw);
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(std::fs::File::open(dir.path().join("app.wasm.gz")).expect("gz")).read_to_end(&mut back).expect("gunzip");
        assert_eq!(back, raw);
        // A second run writes no copy of a copy.
        assert_eq!(precompress_dir(dir.path()).expect("again").len(), 1);
    }
}
